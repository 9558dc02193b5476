//! The job handlers of instances, one arm a job kind (a snapshot's removal is
//! `delete_snapshot.rs`, an automated snapshot's job `automated_snapshot.rs`). Each is idempotent: the provider calls check what exists before
//! acting, and the inventory change happens last, so a re-run after a crash finishes the work
//! without duplicating it.

use crate::lifecycle::Operation;
use crate::step::{connection, finish, refuse_on_system, wanted, JobError};
use crate::{automated_snapshot, delete_snapshot, fault, lifecycle, pin, Job, JobKind};
use cornac_domain::{ObservedState, Provider, ResourceId, SnapshotStatus};
use cornac_inventory::instances::DbInstance;
use cornac_inventory::{snapshots, Pool};

/// Run `job` to its end (or an error). No inventory connection is held while the provider
/// works, so lease renewals always find one.
pub fn run(job: Job, inventory: &Pool, provider: &dyn Provider) -> Result<(), JobError> {
    let conn = || connection(inventory);
    if job.kind == JobKind::DeleteSnapshot {
        return delete_snapshot::run(job, &mut *conn()?, provider);
    }
    if job.kind == JobKind::Snapshot {
        if let Some(snapshot) = automated_snapshot::of(&mut *conn()?, job)? {
            refuse_on_system(&mut *conn()?, job)?;
            return automated_snapshot::run(job, snapshot, inventory, provider);
        }
    }
    let expected = lifecycle::status_of(job.kind)
        .ok_or_else(|| JobError::Permanent(format!("no operation starts a {:?} job", job.kind)))?;
    refuse_on_system(&mut *conn()?, job)?;
    let Some(row) = wanted(&mut *conn()?, job.instance_id, expected)? else {
        return Ok(());
    };
    let id = resource_id(&row)?;
    fault::point(job.kind, "claimed");
    let started = std::time::Instant::now();
    // The job's snapshot, if it takes one (create, a final snapshot, a snapshot on stop).
    let snapshot = match job.snapshot_id {
        Some(sid) => snapshots::get(&mut *conn()?, sid)?
            .filter(|s| s.status == SnapshotStatus::Creating)
            .map(|s| s.key().map_err(permanent))
            .transpose()?,
        None => None,
    };
    if let Some(key) = &snapshot {
        // A stopped instance deleted with a final snapshot runs again for its backup.
        if job.kind == JobKind::Delete
            && !matches!(provider.inspect(&id)?, ObservedState::Running(_))
        {
            provider.start(&id)?;
        }
        provider.backup(&id, key)?;
        fault::point(job.kind, "backed_up");
        // A stop or delete records its snapshot before its own work, so a re-run after a crash
        // does not back up again an instance it has already stopped or deleted.
        if job.kind != JobKind::Snapshot {
            let extra = lifecycle::Extra {
                snapshot_id: job.snapshot_id,
                ..lifecycle::Extra::default()
            };
            lifecycle::apply(&mut *conn()?, row.id, Operation::SnapshotTaken, extra)?;
        }
    }
    // The provider's part first (idempotent), then the inventory's, through the lifecycle.
    let endpoint = match job.kind {
        JobKind::Create => {
            let spec = row.spec().map_err(permanent)?;
            let endpoint = match pin::restore_source(inventory, provider, &row)? {
                Some(source) => provider.restore(&spec, &source)?,
                None => provider.create(&spec)?,
            };
            // A new cluster archives nothing until told to.
            if row.backup_retention_period > 0 {
                follow_retention(provider, &id, &row)?;
            }
            Some(endpoint)
        }
        JobKind::Start => Some(provider.start(&id)?),
        JobKind::Stop => {
            provider.stop(&id)?;
            None
        }
        JobKind::Reboot => Some(provider.reboot(&id)?),
        // What the modify recorded, all of it made again (each call is idempotent): the
        // job does not know which of them changed.
        JobKind::Modify => {
            let spec = row.spec().map_err(permanent)?;
            provider.set_master_password(&id, &spec.master_username, &spec.master_password)?;
            follow_retention(provider, &id, &row)?;
            None
        }
        JobKind::Delete => {
            provider.delete(&id)?;
            None
        }
        JobKind::Snapshot if snapshot.is_none() => {
            return Err(JobError::Permanent(
                "the snapshot to take is gone or no longer creating".into(),
            ))
        }
        JobKind::Snapshot => None,
        JobKind::DeleteSnapshot => None,
    };
    metrics::histogram!(
        "cornac_provider_operation_seconds",
        "provider" => provider.kind().as_str(),
        "operation" => job.kind.as_str()
    )
    .record(started.elapsed().as_secs_f64());
    fault::point(job.kind, "provisioned");
    // Only a snapshot job's snapshot is finished with it.
    let job = Job {
        snapshot_id: job
            .snapshot_id
            .filter(|_| job.kind == JobKind::Snapshot && snapshot.is_some()),
        ..job
    };
    finish(&mut *conn()?, &row, job, endpoint.as_ref())
}

/// WAL archiving as the row's `BackupRetentionPeriod` says (on from 1 day), on a provider that
/// restores to a point in time; one that cannot keeps the number and archives nothing.
fn follow_retention(
    provider: &dyn Provider,
    id: &ResourceId,
    row: &DbInstance,
) -> Result<(), JobError> {
    if provider.point_in_time() {
        provider.set_archiving(id, row.backup_retention_period > 0)?;
    }
    Ok(())
}

pub(crate) fn permanent(e: impl std::fmt::Display) -> JobError {
    JobError::Permanent(e.to_string())
}

fn resource_id(row: &DbInstance) -> Result<ResourceId, JobError> {
    ResourceId::parse(&row.resource_id).map_err(permanent)
}
