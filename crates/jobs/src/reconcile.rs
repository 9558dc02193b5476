//! The reconciler, run at worker start and every `worker.reconcile_secs`: it re-enqueues work
//! left unfinished with no job (an instance's, or a snapshot's deletion), compares what the
//! provider really runs with the inventory and corrects the drift (Postgres down → started again; stopped outside Cornac → `stopped`; gone
//! → `failed`), and removes what the provider holds that no inventory row owns.

use crate::alone::alone;
use crate::lifecycle::{self, Extra, Operation};
use crate::queue;
use crate::step::JobError;
use cornac_domain::{InstanceStatus, ObservedState, Provider, ResourceId, SnapshotStatus};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{snapshots, PgConnection};

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub resumed: usize,
    pub snapshot_deletions_resumed: usize,
    pub restarted: usize,
    pub marked_stopped: usize,
    pub marked_failed: usize,
    pub orphans_removed: usize,
}

/// Only one reconciler at a time, across every worker of the inventory.
const LOCK_KEY: i64 = 0x636f_726e_6163;

pub fn reconcile(conn: &mut PgConnection, provider: &dyn Provider) -> Result<Report, JobError> {
    Ok(alone(conn, LOCK_KEY, |conn| pass(conn, provider))?.unwrap_or_default())
}

fn pass(conn: &mut PgConnection, provider: &dyn Provider) -> Result<Report, JobError> {
    let mut report = Report::default();
    // List what the provider holds before reading the inventory: a resource is only ever made
    // after its row is committed, so a fresh one cannot pass for an orphan.
    let held = provider.list()?;
    resume_snapshot_deletions(conn, &mut report)?;
    let rows = instances::all_of(conn, provider.kind())?;
    for row in &rows {
        if let Err(e) = check(conn, provider, row, &mut report) {
            tracing::warn!(instance = %row.identifier, error = %e, "reconciler could not check an instance");
        }
    }
    for orphan in held
        .iter()
        .filter(|id| !rows.iter().any(|r| r.resource_id == id.as_str()))
    {
        tracing::warn!(resource = %orphan, "removing what no inventory row owns");
        provider.delete(orphan)?;
        report.orphans_removed += 1;
    }
    Ok(report)
}

/// Snapshots left `deleting` with no job (an older version's, or a job failed by hand) get
/// their job again.
fn resume_snapshot_deletions(conn: &mut PgConnection, report: &mut Report) -> Result<(), JobError> {
    for snapshot in snapshots::in_status(conn, SnapshotStatus::Deleting)? {
        if !queue::has_pending_snapshot(conn, snapshot.id)? {
            lifecycle::apply_snapshot(conn, snapshot.id, Operation::ResumeSnapshot, None)?;
            report.snapshot_deletions_resumed += 1;
        }
    }
    Ok(())
}

fn check(
    conn: &mut PgConnection,
    provider: &dyn Provider,
    row: &DbInstance,
    report: &mut Report,
) -> Result<(), JobError> {
    let status = row.status;
    // A system instance left mid-change by an older version's API is not resumed: the worker
    // would refuse the job.
    if let Some(kind) = lifecycle::job_for(status) {
        if (!row.system || kind.allowed_on_system()) && !queue::has_pending(conn, row.id)? {
            lifecycle::apply(conn, row.id, Operation::Resume, Extra::default())?;
            report.resumed += 1;
        }
        return Ok(());
    }
    if status != InstanceStatus::Available {
        return Ok(());
    }
    let id = ResourceId::parse(&row.resource_id).map_err(|e| JobError::Permanent(e.to_string()))?;
    let (operation, counter) = match provider.inspect(&id)? {
        ObservedState::Running(endpoint) => {
            let port = i32::from(endpoint.port);
            if row.endpoint_port != Some(port)
                || row.endpoint_address.as_deref() != Some(endpoint.address.as_str())
            {
                instances::set_endpoint(conn, row.id, &endpoint)?;
            }
            return Ok(());
        }
        ObservedState::Down => (Operation::RestartAfterDown, &mut report.restarted),
        ObservedState::Stopped => (Operation::MarkStopped, &mut report.marked_stopped),
        ObservedState::Missing => (Operation::MarkFailed, &mut report.marked_failed),
    };
    lifecycle::apply(conn, row.id, operation, Extra::default())?;
    tracing::warn!(instance = %row.identifier, message = operation.rule().message, "reconciler corrected drift");
    *counter += 1;
    Ok(())
}
