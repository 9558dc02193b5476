//! The job queue, a table in the inventory. The API enqueues inside the transaction that sets
//! the instance's status (so a status change never loses its job), and `NOTIFY cornac_jobs`,
//! delivered at commit, wakes the workers. Workers claim with `FOR UPDATE SKIP LOCKED` and a
//! lease: a job whose worker died is taken over once its lease lapses. One instance never has
//! two jobs running at once.

use crate::{Job, JobKind};
use cornac_inventory::schema::jobs;
use cornac_inventory::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use std::time::Duration;

pub const CHANNEL: &str = "cornac_jobs";

pub fn kind_name(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Create => "create",
        JobKind::Delete => "delete",
        JobKind::Start => "start",
        JobKind::Stop => "stop",
        JobKind::Reboot => "reboot",
        JobKind::ResetPassword => "reset_password",
    }
}

fn parse_kind(name: &str) -> Option<JobKind> {
    [
        JobKind::Create,
        JobKind::Delete,
        JobKind::Start,
        JobKind::Stop,
        JobKind::Reboot,
        JobKind::ResetPassword,
    ]
    .into_iter()
    .find(|k| kind_name(*k) == name)
}

/// Add `job`; call inside the transaction that made it necessary.
pub fn enqueue(conn: &mut PgConnection, job: Job) -> QueryResult<()> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(kind_name(job.kind)),
            jobs::instance_id.eq(job.instance_id),
        ))
        .execute(conn)?;
    diesel::sql_query(format!("NOTIFY {CHANNEL}")).execute(conn)?;
    Ok(())
}

/// A job this worker now holds.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub job: Job,
    /// 1 on the first run.
    pub attempt: i32,
    /// How long the job waited for its first worker, in seconds.
    pub pickup_secs: f64,
}

#[derive(QueryableByName)]
struct ClaimRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    instance_id: i64,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Double)]
    pickup_secs: f64,
}

/// Take the oldest runnable job (queued and due, or running with a lapsed lease) whose instance
/// has no other job running.
pub fn claim(
    conn: &mut PgConnection,
    worker: &str,
    lease: Duration,
) -> QueryResult<Option<Claimed>> {
    let rows: Vec<ClaimRow> = diesel::sql_query(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = $1, \
                lease_until = now() + make_interval(secs => $2), \
                first_claimed_at = COALESCE(first_claimed_at, clock_timestamp()) \
         WHERE id = (
             SELECT j.id FROM jobs j
             WHERE ((j.state = 'queued' AND j.run_at <= now()) OR (j.state = 'running' AND j.lease_until < now()))
               AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.instance_id = j.instance_id AND r.id <> j.id
                               AND r.state = 'running' AND r.lease_until >= now())
             ORDER BY j.id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING id, kind, instance_id, attempts, \
                   extract(epoch FROM first_claimed_at - created_at)::float8 AS pickup_secs",
    )
    .bind::<Text, _>(worker)
    .bind::<diesel::sql_types::Double, _>(lease.as_secs_f64())
    .load(conn)?;
    Ok(rows.into_iter().next().and_then(|r| {
        Some(Claimed {
            id: r.id,
            job: Job {
                kind: parse_kind(&r.kind)?,
                instance_id: r.instance_id,
            },
            attempt: r.attempts,
            pickup_secs: r.pickup_secs,
        })
    }))
}

/// Keep holding a running job; false when it was taken over meanwhile.
pub fn extend(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    lease: Duration,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "UPDATE jobs SET lease_until = now() + make_interval(secs => $3) \
         WHERE id = $1 AND worker = $2 AND state = 'running'",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(worker)
    .bind::<diesel::sql_types::Double, _>(lease.as_secs_f64())
    .execute(conn)?;
    Ok(n == 1)
}

pub fn complete(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((
            jobs::state.eq("done"),
            jobs::finished_at.eq(diesel::dsl::now),
            jobs::lease_until.eq(None::<chrono::DateTime<chrono::Utc>>),
        ))
        .execute(conn)
        .map(drop)
}

/// Run it again after `delay`.
pub fn retry(conn: &mut PgConnection, id: i64, delay: Duration, error: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE jobs SET state = 'queued', run_at = now() + make_interval(secs => $2), \
                lease_until = NULL, last_error = $3 WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .bind::<diesel::sql_types::Double, _>(delay.as_secs_f64())
    .bind::<Text, _>(error)
    .execute(conn)
    .map(drop)
}

/// No more attempts.
pub fn give_up(conn: &mut PgConnection, id: i64, error: &str) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((
            jobs::state.eq("failed"),
            jobs::last_error.eq(error),
            jobs::finished_at.eq(diesel::dsl::now),
            jobs::lease_until.eq(None::<chrono::DateTime<chrono::Utc>>),
        ))
        .execute(conn)
        .map(drop)
}

/// Whether the instance has a job queued or running (however stale its lease).
pub fn has_pending(conn: &mut PgConnection, instance_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        jobs::table
            .filter(jobs::instance_id.eq(instance_id))
            .filter(jobs::state.eq_any(["queued", "running"])),
    ))
    .get_result(conn)
}
