//! The reconciler, run at worker start and every `worker.reconcile_secs`: it re-enqueues work
//! left unfinished with no job, compares what the provider really runs with the inventory and
//! corrects the drift (Postgres down → started again; stopped outside Cornac → `stopped`; gone
//! → `failed`), and removes what the provider holds that no inventory row owns.

use crate::step::JobError;
use crate::{queue, Job, JobKind};
use cornac_domain::{InstanceStatus, ObservedState, Provider, ResourceId};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{events, Connection, PgConnection};
use diesel::sql_types::Bool;
use diesel::RunQueryDsl;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub resumed: usize,
    pub restarted: usize,
    pub marked_stopped: usize,
    pub marked_failed: usize,
    pub orphans_removed: usize,
}

/// Only one reconciler at a time, across every worker of the inventory.
const LOCK_KEY: i64 = 0x636f_726e_6163;

/// The job that finishes a transitional status.
pub fn job_for(status: InstanceStatus) -> Option<JobKind> {
    Some(match status {
        InstanceStatus::Creating => JobKind::Create,
        InstanceStatus::Deleting => JobKind::Delete,
        InstanceStatus::Starting => JobKind::Start,
        InstanceStatus::Stopping => JobKind::Stop,
        InstanceStatus::Rebooting => JobKind::Reboot,
        InstanceStatus::Modifying => JobKind::ResetPassword,
        _ => return None,
    })
}

pub fn reconcile(conn: &mut PgConnection, provider: &dyn Provider) -> Result<Report, JobError> {
    let locked: bool = diesel::select(diesel::dsl::sql::<Bool>(&format!(
        "pg_try_advisory_lock({LOCK_KEY})"
    )))
    .get_result(conn)?;
    if !locked {
        return Ok(Report::default());
    }
    let outcome = pass(conn, provider);
    diesel::select(diesel::dsl::sql::<Bool>(&format!(
        "pg_advisory_unlock({LOCK_KEY})"
    )))
    .get_result::<bool>(conn)?;
    outcome
}

fn pass(conn: &mut PgConnection, provider: &dyn Provider) -> Result<Report, JobError> {
    let mut report = Report::default();
    // List what the provider holds before reading the inventory: a resource is only ever made
    // after its row is committed, so a fresh one cannot pass for an orphan.
    let held = provider.list()?;
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

fn check(
    conn: &mut PgConnection,
    provider: &dyn Provider,
    row: &DbInstance,
    report: &mut Report,
) -> Result<(), JobError> {
    let Some(status) = row.status() else {
        return Ok(());
    };
    // A system instance left mid-change by an older version's API is not resumed: the worker
    // would refuse the job.
    if let Some(kind) = job_for(status).filter(|k| !row.system || k.allowed_on_system()) {
        if !queue::has_pending(conn, row.id)? {
            conn.transaction::<_, JobError, _>(|conn| {
                queue::enqueue(
                    conn,
                    Job {
                        kind,
                        instance_id: row.id,
                    },
                )?;
                events::record(
                    conn,
                    &row.identifier,
                    &row.arn,
                    "notification",
                    "Resuming unfinished work",
                )?;
                Ok(())
            })?;
            report.resumed += 1;
        }
        return Ok(());
    }
    if status != InstanceStatus::Available {
        return Ok(());
    }
    let id = ResourceId::parse(&row.resource_id).map_err(|e| JobError::Permanent(e.to_string()))?;
    let (to, message, counter) = match provider.inspect(&id)? {
        ObservedState::Running(endpoint) => {
            let port = i32::from(endpoint.port);
            if row.endpoint_port != Some(port)
                || row.endpoint_address.as_deref() != Some(endpoint.address.as_str())
            {
                instances::set_endpoint(conn, row.id, &endpoint)?;
            }
            return Ok(());
        }
        ObservedState::Down => (
            InstanceStatus::Starting,
            "Postgres was not running; starting it again",
            &mut report.restarted,
        ),
        ObservedState::Stopped => (
            InstanceStatus::Stopped,
            "Postgres was stopped outside Cornac; the instance is stopped",
            &mut report.marked_stopped,
        ),
        ObservedState::Missing => (
            InstanceStatus::Failed,
            "The provider no longer has this instance",
            &mut report.marked_failed,
        ),
    };
    conn.transaction::<_, JobError, _>(|conn| {
        let reason = (to == InstanceStatus::Failed).then_some(message);
        instances::transition(conn, row.id, to, reason)
            .map_err(|e| JobError::Transient(e.to_string()))?;
        if to == InstanceStatus::Starting {
            queue::enqueue(
                conn,
                Job {
                    kind: JobKind::Start,
                    instance_id: row.id,
                },
            )?;
        }
        events::record(conn, &row.identifier, &row.arn, "notification", message)?;
        Ok(())
    })?;
    tracing::warn!(instance = %row.identifier, message, "reconciler corrected drift");
    *counter += 1;
    Ok(())
}
