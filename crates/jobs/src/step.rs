//! What every job handler shares: read the instance's current row (a job carries only its id),
//! refuse what no system instance may take, skip work that is no longer wanted, and end a job
//! through the lifecycle (finished, failed or refused).

use crate::lifecycle::{self, Extra, Operation};
use crate::{Job, JobKind};
use cornac_domain::{Endpoint, InstanceStatus, ProviderError};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{Connection, PgConnection, Pool, PooledConnection};

/// Why a job did not finish.
#[derive(Debug, Clone, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt (the provider or the inventory may be back).
    #[error("{0}")]
    Transient(String),
    /// Another attempt would fail the same way.
    #[error("{0}")]
    Permanent(String),
    /// Never to be run: the job acts on a system instance in a way none may.
    #[error("{0}")]
    Refused(String),
}

impl From<ProviderError> for JobError {
    fn from(e: ProviderError) -> Self {
        match e {
            ProviderError::Permanent(m) => Self::Permanent(m),
            other => Self::Transient(other.to_string()),
        }
    }
}

impl From<cornac_inventory::Error> for JobError {
    fn from(e: cornac_inventory::Error) -> Self {
        Self::Transient(e.to_string())
    }
}

impl From<lifecycle::Error> for JobError {
    fn from(e: lifecycle::Error) -> Self {
        Self::Transient(e.to_string())
    }
}

impl From<cornac_inventory::QueryError> for JobError {
    fn from(e: cornac_inventory::QueryError) -> Self {
        Self::Transient(e.to_string())
    }
}

/// A connection of the inventory's pool for a job's next step; a transient error when none is
/// to be had (the inventory may be back for the next attempt).
pub fn connection(inventory: &Pool) -> Result<PooledConnection, JobError> {
    inventory
        .get()
        .map_err(|e| JobError::Transient(format!("inventory unavailable: {e}")))
}

/// Refuse `job` when it acts on a system instance in a way none may (see
/// `JobKind::allowed_on_system`), before anything reads or touches the instance.
pub fn refuse_on_system(conn: &mut PgConnection, job: Job) -> Result<(), JobError> {
    if job.kind.allowed_on_system() {
        return Ok(());
    }
    let why = instances::get(conn, job.instance_id)?.and_then(|row| row.system_refusal());
    match why {
        Some(why) => Err(JobError::Refused(format!(
            "{} job refused: {why}",
            job.kind
        ))),
        None => Ok(()),
    }
}

/// A refused job is over (`failed`, with the reason), the instance untouched but for an event.
/// False when `worker` no longer held the job (see `queue::complete`).
pub fn refused(
    conn: &mut PgConnection,
    job_id: i64,
    worker: &str,
    instance_id: i64,
    reason: &str,
) -> Result<bool, JobError> {
    conn.transaction(|conn| {
        if !crate::queue::give_up(conn, job_id, worker, reason)? {
            return Ok(false);
        }
        note(conn, instance_id, Operation::Refuse, reason)?;
        Ok(true)
    })
}

/// An event about the instance, if it is still there (`Retry`, `Refuse`).
pub fn note(
    conn: &mut PgConnection,
    instance_id: i64,
    operation: Operation,
    detail: &str,
) -> Result<(), JobError> {
    let extra = Extra {
        detail: Some(detail),
        ..Extra::default()
    };
    match lifecycle::apply(conn, instance_id, operation, extra) {
        Ok(_) | Err(lifecycle::Error::Gone) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The row, if the job is still wanted: the instance exists and is in `expected`.
pub fn wanted(
    conn: &mut PgConnection,
    instance_id: i64,
    expected: InstanceStatus,
) -> Result<Option<DbInstance>, JobError> {
    let Some(row) = instances::get(conn, instance_id)? else {
        tracing::info!(instance_id, "instance gone; nothing to do");
        return Ok(None);
    };
    if row.status != expected {
        tracing::info!(instance = %row.identifier, status = %row.status, %expected, "job no longer wanted");
        return Ok(None);
    }
    Ok(Some(row))
}

/// `job` is done: its final status (and `endpoint`), and its snapshot's, with their events.
pub fn finish(
    conn: &mut PgConnection,
    row: &DbInstance,
    job: Job,
    endpoint: Option<&Endpoint>,
) -> Result<(), JobError> {
    let extra = Extra {
        endpoint,
        snapshot_id: job.snapshot_id,
        ..Extra::default()
    };
    lifecycle::apply(conn, row.id, Operation::Finish(job.kind), extra)?;
    Ok(())
}

/// After the last attempt: the instance `failed`, with the reason in the row and in an event,
/// and its snapshot `failed` (never a half one `available`). A failed snapshot leaves its
/// instance available again; a failed snapshot deletion leaves the snapshot `failed`, to be
/// deleted again. What is gone, or no longer in a transitional status, is left as it is.
pub fn fail(conn: &mut PgConnection, job: Job, reason: &str) -> Result<(), JobError> {
    let outcome = match (job.kind, job.snapshot_id) {
        (JobKind::DeleteSnapshot, Some(id)) => {
            lifecycle::apply_snapshot(conn, id, Operation::FailSnapshotDelete, Some(reason))
                .map(drop)
        }
        (kind, snapshot_id) => {
            let extra = Extra {
                detail: Some(reason),
                snapshot_id,
                ..Extra::default()
            };
            let operation = match kind {
                JobKind::Snapshot if crate::automated_snapshot::of(conn, job)?.is_some() => {
                    Operation::FailAutomatedSnapshot
                }
                JobKind::Snapshot => Operation::FailBackup,
                _ => Operation::Fail,
            };
            lifecycle::apply(conn, job.instance_id, operation, extra).map(drop)
        }
    };
    match outcome {
        Ok(())
        | Err(
            lifecycle::Error::Gone
            | lifecycle::Error::Refused { .. }
            | lifecycle::Error::SnapshotGone
            | lifecycle::Error::SnapshotRefused { .. },
        ) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
