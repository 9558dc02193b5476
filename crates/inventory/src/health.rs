//! What `/readyz` and `/metrics` read: worker heartbeats, instance counts by status and
//! provider, and the job queue's depth and age.

use crate::schema::{db_instances, jobs, workers};
use crate::Result;
use chrono::{DateTime, Utc};
use cornac_domain::{InstanceStatus, ProviderKind};
use diesel::prelude::*;
use diesel::upsert::excluded;

/// A worker says it is alive.
pub fn heartbeat(conn: &mut PgConnection, worker: &str) -> Result<()> {
    diesel::insert_into(workers::table)
        .values((
            workers::name.eq(worker),
            workers::last_seen.eq(diesel::dsl::now),
        ))
        .on_conflict(workers::name)
        .do_update()
        .set(workers::last_seen.eq(excluded(workers::last_seen)))
        .execute(conn)?;
    Ok(())
}

/// Workers seen within the last `secs` seconds.
pub fn live_workers(conn: &mut PgConnection, secs: i64) -> Result<i64> {
    let since = Utc::now() - chrono::Duration::seconds(secs);
    Ok(workers::table
        .filter(workers::last_seen.ge(since))
        .count()
        .get_result(conn)?)
}

/// (status, provider, count) for every pair that has instances.
pub fn instances_by_status(
    conn: &mut PgConnection,
) -> Result<Vec<(InstanceStatus, ProviderKind, i64)>> {
    Ok(db_instances::table
        .group_by((db_instances::status, db_instances::provider))
        .select((
            db_instances::status,
            db_instances::provider,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// Jobs waiting to run, and when the oldest of them was enqueued.
pub fn queue_depth(conn: &mut PgConnection) -> Result<(i64, Option<DateTime<Utc>>)> {
    Ok(jobs::table
        .filter(jobs::state.eq(crate::JobState::Queued))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(jobs::created_at),
        ))
        .first(conn)?)
}
