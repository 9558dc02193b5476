//! The snapshot job of an automated snapshot (`automated.rs` records it): back the instance up
//! under the snapshot's key, then record it `available`, leaving the instance's status as it
//! is. It runs whatever that status is (a later action's job waits behind it); a backup that
//! cannot be made fails the snapshot only (`FailAutomatedSnapshot`). Idempotent like the
//! manual snapshot job: a finished backup under the key is found and kept.

use crate::handlers::permanent;
use crate::lifecycle::{self, Extra, Operation};
use crate::step::{connection, JobError};
use crate::{fault, Job};
use cornac_domain::{Provider, ResourceId, SnapshotStatus, SnapshotType};
use cornac_inventory::snapshots::{self, DbSnapshot};
use cornac_inventory::{instances, PgConnection, Pool};

/// The job's snapshot, if it is an automated one.
pub fn of(conn: &mut PgConnection, job: Job) -> Result<Option<DbSnapshot>, JobError> {
    let Some(id) = job.snapshot_id else {
        return Ok(None);
    };
    Ok(snapshots::get(conn, id)?.filter(|s| s.snapshot_type == SnapshotType::Automated))
}

pub fn run(
    job: Job,
    snapshot: DbSnapshot,
    inventory: &Pool,
    provider: &dyn Provider,
) -> Result<(), JobError> {
    let conn = || connection(inventory);
    if snapshot.status != SnapshotStatus::Creating {
        tracing::info!(snapshot = %snapshot.identifier, status = %snapshot.status, "automated snapshot no longer being taken");
        return Ok(());
    }
    let Some(row) = instances::get(&mut *conn()?, job.instance_id)? else {
        // The schedule expires a snapshot whose instance is gone once no job holds it.
        tracing::info!(snapshot = %snapshot.identifier, "instance gone; nothing to back up");
        return Ok(());
    };
    let id = ResourceId::parse(&row.resource_id).map_err(permanent)?;
    let key = snapshot.key().map_err(permanent)?;
    fault::point(job.kind, "automated_claimed");
    provider.backup(&id, &key)?;
    fault::point(job.kind, "automated_backed_up");
    let extra = Extra {
        snapshot_id: Some(snapshot.id),
        ..Extra::default()
    };
    lifecycle::apply(
        &mut *conn()?,
        row.id,
        Operation::AutomatedSnapshotTaken,
        extra,
    )?;
    Ok(())
}
