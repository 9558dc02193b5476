//! The `delete_snapshot` job: remove the snapshot's backup through the provider, unless another
//! snapshot row still shares its key (a copy), then the row, through the lifecycle. Idempotent:
//! a backup already gone is done, and a snapshot no longer `deleting` is left alone.

use crate::handlers::permanent;
use crate::lifecycle::{self, Operation};
use crate::step::JobError;
use crate::{fault, Job};
use cornac_domain::{Provider, ResourceId, SnapshotStatus};
use cornac_inventory::{snapshots, PgConnection};

pub fn run(job: Job, conn: &mut PgConnection, provider: &dyn Provider) -> Result<(), JobError> {
    let id = job
        .snapshot_id
        .ok_or_else(|| JobError::Permanent("a snapshot deletion names no snapshot".into()))?;
    let Some(row) = snapshots::get(conn, id)? else {
        tracing::info!(snapshot_id = id, "snapshot gone; nothing to do");
        return Ok(());
    };
    if row.status != SnapshotStatus::Deleting {
        tracing::info!(snapshot = %row.identifier, status = %row.status, "snapshot deletion no longer wanted");
        return Ok(());
    }
    fault::point(job.kind, "claimed");
    let key = row.key().map_err(permanent)?;
    if !snapshots::key_shared(conn, key.as_str(), id)? {
        if snapshots::key_restoring(conn, key.as_str())? {
            return Err(JobError::Transient(format!(
                "the backup of snapshot {} is being restored; removing it later",
                row.identifier
            )));
        }
        let instance = ResourceId::parse(&row.dbi_resource_id).map_err(permanent)?;
        provider.delete_backup(&instance, &key)?;
    }
    fault::point(job.kind, "provisioned");
    lifecycle::apply_snapshot(conn, id, Operation::Finish(job.kind), None)?;
    Ok(())
}
