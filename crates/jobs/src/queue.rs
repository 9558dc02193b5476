//! The job queue, a table in the inventory. The API enqueues inside the transaction that sets
//! the instance's status (so a status change never loses its job), and `NOTIFY cornac_jobs`,
//! delivered at commit, wakes the workers. Workers claim with `FOR UPDATE SKIP LOCKED` and a
//! lease: a job whose worker died is taken over once its lease lapses. One instance never has
//! two jobs running at once. These are the queries the apalis backend (`backend.rs`) and its
//! acknowledgement (`ack.rs`) make.

use crate::{Job, JobKind};
use cornac_inventory::schema::jobs;
use cornac_inventory::{JobState, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Text};
use std::time::Duration;

pub const CHANNEL: &str = "cornac_jobs";

/// Add `job`; call inside the transaction that made it necessary.
pub fn enqueue(conn: &mut PgConnection, job: Job) -> QueryResult<()> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(job.kind),
            jobs::instance_id.eq(job.instance_id),
            jobs::snapshot_id.eq(job.snapshot_id),
        ))
        .execute(conn)?;
    diesel::sql_query(format!("NOTIFY {CHANNEL}")).execute(conn)?;
    Ok(())
}

/// A job this worker now holds.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: JobKind,
    pub instance_id: i64,
    pub snapshot_id: Option<i64>,
    /// 1 on the first run.
    pub attempt: i32,
    /// How long the job waited for its first worker, in seconds.
    pub pickup_secs: f64,
}

/// A claimed row, its kind as stored: a kind this version does not know (written by a newer
/// one) must not fail every claim.
#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    instance_id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    snapshot_id: Option<i64>,
    #[diesel(sql_type = Integer)]
    attempt: i32,
    #[diesel(sql_type = Double)]
    pickup_secs: f64,
}

impl Claimed {
    pub fn job(&self) -> Job {
        Job {
            kind: self.kind,
            instance_id: self.instance_id,
            snapshot_id: self.snapshot_id,
        }
    }
}

/// Take the oldest runnable job (queued and due, or running with a lapsed lease) whose instance
/// has no other job running, and no older job running or due. The second rule closes a race:
/// while another worker's claim of the instance's older job is not yet committed, that job still
/// looks queued here (and is skipped, being locked), so only its being older keeps this claim
/// off the newer one. A job of a kind this version does not know is given up (`failed`, with
/// the reason in `last_error`), once, and the next job claimed instead.
pub fn claim(
    conn: &mut PgConnection,
    worker: &str,
    lease: Duration,
) -> QueryResult<Option<Claimed>> {
    while let Some(row) = claim_row(conn, worker, lease)? {
        let Some(kind) = JobKind::parse(&row.kind) else {
            let why = format!(
                "unknown job kind {:?} (written by a newer version of cornac?): given up",
                row.kind
            );
            tracing::warn!(job = row.id, instance = row.instance_id, "{why}");
            give_up(conn, row.id, worker, &why)?;
            continue;
        };
        return Ok(Some(Claimed {
            id: row.id,
            kind,
            instance_id: row.instance_id,
            snapshot_id: row.snapshot_id,
            attempt: row.attempt,
            pickup_secs: row.pickup_secs,
        }));
    }
    Ok(None)
}

fn claim_row(conn: &mut PgConnection, worker: &str, lease: Duration) -> QueryResult<Option<Row>> {
    diesel::sql_query(
        "UPDATE jobs SET state = $3, attempts = attempts + 1, worker = $1, \
                lease_until = now() + make_interval(secs => $2), \
                first_claimed_at = COALESCE(first_claimed_at, clock_timestamp()) \
         WHERE id = (
             SELECT j.id FROM jobs j
             WHERE ((j.state = $4 AND j.run_at <= now()) OR (j.state = $3 AND j.lease_until < now()))
               AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.instance_id = j.instance_id AND r.id <> j.id
                               AND ((r.state = $3 AND r.lease_until >= now())
                                    OR (r.id < j.id AND (r.state = $3 OR (r.state = $4 AND r.run_at <= now())))))
             ORDER BY j.id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING id, kind, instance_id, snapshot_id, attempts AS attempt, \
                   extract(epoch FROM first_claimed_at - created_at)::float8 AS pickup_secs",
    )
    .bind::<Text, _>(worker)
    .bind::<Double, _>(lease.as_secs_f64())
    .bind::<Text, _>(JobState::Running)
    .bind::<Text, _>(JobState::Queued)
    .get_result(conn)
    .optional()
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
         WHERE id = $1 AND worker = $2 AND state = $4",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(worker)
    .bind::<Double, _>(lease.as_secs_f64())
    .bind::<Text, _>(JobState::Running)
    .execute(conn)?;
    Ok(n == 1)
}

/// Give back a job claimed but never started (the worker is stopping): queued again as if
/// never claimed, so it costs no attempt.
pub fn release(conn: &mut PgConnection, id: i64, worker: &str) -> QueryResult<()> {
    diesel::update(
        jobs::table
            .find(id)
            .filter(jobs::worker.eq(worker))
            .filter(jobs::state.eq(JobState::Running)),
    )
    .set((
        jobs::state.eq(JobState::Queued),
        jobs::attempts.eq(jobs::attempts - 1),
        jobs::worker.eq(None::<String>),
        jobs::lease_until.eq(None::<chrono::DateTime<chrono::Utc>>),
    ))
    .execute(conn)
    .map(drop)
}

/// The job is done. Each outcome is recorded only by the worker that holds the job: false when
/// it was taken over meanwhile (its lease lapsed), and the new holder records its own.
pub fn complete(conn: &mut PgConnection, id: i64, worker: &str) -> QueryResult<bool> {
    finished(conn, id, worker, JobState::Done, None)
}

/// Run it again after `delay`.
pub fn retry(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    delay: Duration,
    error: &str,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "UPDATE jobs SET state = $5, run_at = now() + make_interval(secs => $3), \
                lease_until = NULL, last_error = $4 WHERE id = $1 AND worker = $2 AND state = $6",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(worker)
    .bind::<Double, _>(delay.as_secs_f64())
    .bind::<Text, _>(error)
    .bind::<Text, _>(JobState::Queued)
    .bind::<Text, _>(JobState::Running)
    .execute(conn)?;
    Ok(n == 1)
}

/// No more attempts.
pub fn give_up(conn: &mut PgConnection, id: i64, worker: &str, error: &str) -> QueryResult<bool> {
    finished(conn, id, worker, JobState::Failed, Some(error))
}

/// Whether the instance has a job of its own queued or running (however stale its lease); the
/// deletion of one of its snapshots is the snapshot's job, not the instance's.
pub fn has_pending(conn: &mut PgConnection, instance_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        jobs::table
            .filter(jobs::instance_id.eq(instance_id))
            .filter(jobs::kind.ne(JobKind::DeleteSnapshot))
            .filter(jobs::state.eq_any(JobState::PENDING)),
    ))
    .get_result(conn)
}

/// Whether the snapshot has a job queued or running.
pub fn has_pending_snapshot(conn: &mut PgConnection, snapshot_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        jobs::table
            .filter(jobs::snapshot_id.eq(snapshot_id))
            .filter(jobs::state.eq_any(JobState::PENDING)),
    ))
    .get_result(conn)
}

fn finished(
    conn: &mut PgConnection,
    id: i64,
    worker: &str,
    state: JobState,
    error: Option<&str>,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "UPDATE jobs SET state = $3, finished_at = now(), lease_until = NULL, \
                last_error = COALESCE($4, last_error) WHERE id = $1 AND worker = $2 AND state = $5",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(worker)
    .bind::<Text, _>(state)
    .bind::<diesel::sql_types::Nullable<Text>, _>(error)
    .bind::<Text, _>(JobState::Running)
    .execute(conn)?;
    Ok(n == 1)
}
