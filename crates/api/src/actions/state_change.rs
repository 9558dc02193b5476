//! What Start, Stop, Reboot and Delete share: find the instance, move it to a transitional
//! status through the status machine (refusing with `InvalidDBInstanceState`), record an event,
//! and leave a job for the worker; the instance as it then is, for the action's output.

use super::Ctx;
use crate::error::ApiError;
use crate::view;
use cornac_domain::InstanceStatus;
use cornac_inventory::instances::{self, DbInstance, TransitionError};
use cornac_inventory::{events, Connection, PgConnection};
use cornac_jobs::{Job, JobKind};
use cornac_wire::shapes;
use cornac_wire::{AwsError, ErrorCode};

pub struct Change {
    pub to: InstanceStatus,
    pub job: JobKind,
    pub event: &'static str,
    /// Checks beyond the status machine (e.g. deletion protection), in the locked transaction.
    pub check: fn(&DbInstance) -> Result<(), AwsError>,
}

pub fn apply(
    ctx: &Ctx,
    conn: &mut PgConnection,
    raw_identifier: &str,
    change: Change,
) -> Result<shapes::DbInstance, ApiError> {
    conn.transaction(|conn| {
        let row = view::find(ctx.scope(), conn, "DBInstanceIdentifier", raw_identifier)?;
        (change.check)(&row)?;
        let row = instances::transition(conn, row.id, change.to, None).map_err(|e| match e {
            TransitionError::Refused(refused) => ApiError::Aws(AwsError::new(
                ErrorCode::InvalidDbInstanceState,
                format!(
                    "DB instance {} is {}; it cannot become {} now.",
                    row.identifier, refused.from, refused.to
                ),
            )),
            TransitionError::Gone => AwsError::not_found(&row.identifier).into(),
            TransitionError::Inventory(e) => e.into(),
        })?;
        events::record(
            conn,
            &row.identifier,
            &row.arn,
            change.job_category(),
            change.event,
        )?;
        cornac_jobs::queue::enqueue(
            conn,
            Job {
                kind: change.job,
                instance_id: row.id,
            },
        )?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })
}

impl Change {
    fn job_category(&self) -> &'static str {
        match self.job {
            JobKind::Create => "creation",
            JobKind::Delete => "deletion",
            JobKind::Start | JobKind::Stop => "notification",
            JobKind::Reboot => "availability",
            JobKind::ResetPassword => "configuration change",
        }
    }
}

/// For changes with no check beyond the status machine.
pub fn no_check(_: &DbInstance) -> Result<(), AwsError> {
    Ok(())
}
