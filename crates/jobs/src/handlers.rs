//! The job handlers, one a job kind. Each is idempotent: the provider calls check what exists
//! before acting, and the inventory change happens last, so a re-run after a crash finishes
//! the work without duplicating it.

use crate::step::{finish, refuse_on_system, wanted, JobError};
use crate::{fault, lifecycle, Job, JobKind};
use cornac_domain::{Provider, ResourceId};
use cornac_inventory::instances::DbInstance;
use cornac_inventory::Pool;

/// Run `job` to its end (or an error). No inventory connection is held while the provider
/// works, so lease renewals always find one.
pub fn run(job: Job, inventory: &Pool, provider: &dyn Provider) -> Result<(), JobError> {
    let conn = || {
        inventory
            .get()
            .map_err(|e| JobError::Transient(format!("inventory unavailable: {e}")))
    };
    let expected = lifecycle::status_of(job.kind)
        .ok_or_else(|| JobError::Permanent(format!("no operation starts a {:?} job", job.kind)))?;
    refuse_on_system(&mut *conn()?, job)?;
    let Some(row) = wanted(&mut *conn()?, job.instance_id, expected)? else {
        return Ok(());
    };
    let id = resource_id(&row)?;
    fault::point(job.kind, "claimed");
    let started = std::time::Instant::now();
    // The provider's part first (idempotent), then the inventory's, through the lifecycle.
    let endpoint = match job.kind {
        JobKind::Create => {
            let spec = row.spec().map_err(permanent)?;
            Some(provider.create(&spec)?)
        }
        JobKind::Start => Some(provider.start(&id)?),
        JobKind::Stop => {
            provider.stop(&id)?;
            None
        }
        JobKind::Reboot => Some(provider.reboot(&id)?),
        JobKind::ResetPassword => {
            let spec = row.spec().map_err(permanent)?;
            provider.set_master_password(&id, &spec.master_username, &spec.master_password)?;
            None
        }
        JobKind::Delete => {
            provider.delete(&id)?;
            None
        }
    };
    metrics::histogram!(
        "cornac_provider_operation_seconds",
        "provider" => provider.kind().as_str(),
        "operation" => job.kind.as_str()
    )
    .record(started.elapsed().as_secs_f64());
    fault::point(job.kind, "provisioned");
    finish(&mut *conn()?, &row, job.kind, endpoint.as_ref())
}

fn permanent(e: impl std::fmt::Display) -> JobError {
    JobError::Permanent(e.to_string())
}

fn resource_id(row: &DbInstance) -> Result<ResourceId, JobError> {
    ResourceId::parse(&row.resource_id).map_err(permanent)
}
