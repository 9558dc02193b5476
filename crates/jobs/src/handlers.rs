//! The job handlers, one a job kind. Each is idempotent: the provider calls check what exists
//! before acting, and the inventory change happens last, so a re-run after a crash finishes
//! the work without duplicating it.

use crate::step::{finish, refuse_on_system, wanted, JobError};
use crate::{fault, Job, JobKind};
use cornac_domain::{
    DbName, InstanceSpec, InstanceStatus, MasterUsername, Provider, ResourceId, ScramVerifier,
};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{events, Connection, Pool};

/// Run `job` to its end (or an error). No inventory connection is held while the provider
/// works, so lease renewals always find one.
pub fn run(job: Job, inventory: &Pool, provider: &dyn Provider) -> Result<(), JobError> {
    let conn = || {
        inventory
            .get()
            .map_err(|e| JobError::Transient(format!("inventory unavailable: {e}")))
    };
    let expected = match job.kind {
        JobKind::Create => InstanceStatus::Creating,
        JobKind::Delete => InstanceStatus::Deleting,
        JobKind::Start => InstanceStatus::Starting,
        JobKind::Stop => InstanceStatus::Stopping,
        JobKind::Reboot => InstanceStatus::Rebooting,
        JobKind::ResetPassword => InstanceStatus::Modifying,
    };
    refuse_on_system(&mut *conn()?, job)?;
    let Some(row) = wanted(&mut *conn()?, job.instance_id, expected)? else {
        return Ok(());
    };
    let id = resource_id(&row)?;
    fault::point(job.kind, "claimed");
    let started = std::time::Instant::now();
    // The provider's part first (idempotent), then the inventory's, in one transaction.
    let (to, endpoint, message, category) = match job.kind {
        JobKind::Create => {
            let endpoint = provider.create(&spec(&row, id)?)?;
            (
                Some(InstanceStatus::Available),
                Some(endpoint),
                "DB instance created",
                "creation",
            )
        }
        JobKind::Start => {
            let endpoint = provider.start(&id)?;
            (
                Some(InstanceStatus::Available),
                Some(endpoint),
                "DB instance started",
                "notification",
            )
        }
        JobKind::Stop => {
            provider.stop(&id)?;
            (
                Some(InstanceStatus::Stopped),
                None,
                "DB instance stopped",
                "notification",
            )
        }
        JobKind::Reboot => {
            let endpoint = provider.reboot(&id)?;
            (
                Some(InstanceStatus::Available),
                Some(endpoint),
                "DB instance restarted",
                "availability",
            )
        }
        JobKind::ResetPassword => {
            let user = MasterUsername::parse(&row.master_username).map_err(permanent)?;
            provider.set_master_password(&id, &user, &verifier(&row)?)?;
            (
                Some(InstanceStatus::Available),
                None,
                "Reset master credentials",
                "configuration change",
            )
        }
        JobKind::Delete => {
            provider.delete(&id)?;
            (None, None, "DB instance deleted", "deletion")
        }
    };
    metrics::histogram!(
        "cornac_provider_operation_seconds",
        "provider" => provider.kind(),
        "operation" => job.kind.name()
    )
    .record(started.elapsed().as_secs_f64());
    fault::point(job.kind, "provisioned");
    match to {
        Some(to) => finish(
            &mut *conn()?,
            &row,
            to,
            endpoint.as_ref(),
            message,
            category,
        ),
        None => conn()?.transaction(|conn| {
            events::record(conn, &row.identifier, &row.arn, category, message)?;
            instances::delete(conn, row.id)?;
            Ok(())
        }),
    }
}

fn permanent(e: impl std::fmt::Display) -> JobError {
    JobError::Permanent(e.to_string())
}

fn resource_id(row: &DbInstance) -> Result<ResourceId, JobError> {
    ResourceId::parse(&row.resource_id).map_err(permanent)
}

fn verifier(row: &DbInstance) -> Result<ScramVerifier, JobError> {
    ScramVerifier::parse(&row.master_password_verifier).map_err(permanent)
}

fn spec(row: &DbInstance, resource_id: ResourceId) -> Result<InstanceSpec, JobError> {
    Ok(InstanceSpec {
        resource_id,
        engine_version: row.engine_version.clone(),
        instance_class: row.instance_class.clone(),
        allocated_storage_gib: u32::try_from(row.allocated_storage).unwrap_or(1),
        master_username: MasterUsername::parse(&row.master_username).map_err(permanent)?,
        master_password: verifier(row)?,
        db_name: row
            .db_name
            .as_deref()
            .map(DbName::parse)
            .transpose()
            .map_err(permanent)?,
        port: row.requested_port.and_then(|p| u16::try_from(p).ok()),
    })
}
