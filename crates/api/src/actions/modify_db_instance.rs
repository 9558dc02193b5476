//! `ModifyDBInstance`: settings the inventory holds change at once (deletion protection, backup
//! retention, identifier, class and storage, which the local provider records but cannot
//! resize); a new master password is set by the worker while the instance is `modifying`.
//! Every change applies immediately, whatever `ApplyImmediately` says.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html>

use super::Ctx;
use crate::error::ApiError;
use crate::view;
use cornac_domain::InstanceStatus;
use cornac_inventory::instances::{self, Changes};
use cornac_inventory::{events, Connection, PgConnection};
use cornac_jobs::{Job, JobKind};
use cornac_wire::actions::modify_db_instance::{ModifyDbInstanceInput, ModifyDbInstanceOutput};
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ModifyDbInstanceInput,
) -> Result<ModifyDbInstanceOutput, ApiError> {
    let scope = ctx.scope();
    let new_identifier = input.new_identifier;
    let password = input.master_password;
    let changes = Changes {
        arn: new_identifier
            .as_ref()
            .map(|i| i.arn(scope.region, scope.account_id)),
        identifier: new_identifier.as_ref().map(ToString::to_string),
        instance_class: input.class.map(|c| c.name.to_owned()),
        allocated_storage: input.allocated_storage,
        master_password_verifier: password.as_ref().map(|p| p.verifier().as_str().to_owned()),
        deletion_protection: input.deletion_protection,
        backup_retention_period: input.backup_retention_period,
    };
    let instance = conn.transaction(|conn| {
        let row = view::find(scope, conn, "DBInstanceIdentifier", &input.identifier)?;
        if let Some(new) = &new_identifier {
            // Under the lock, of two renames to one name the second sees the first's commit.
            instances::lock_names_and_quotas(conn)?;
            if instances::find(conn, new.as_str())?.is_some() {
                return Err(AwsError::already_exists().into());
            }
        }
        let status = row.status();
        let settled = matches!(
            status,
            Some(InstanceStatus::Available | InstanceStatus::Stopped)
        );
        if !settled || (password.is_some() && status != Some(InstanceStatus::Available)) {
            return Err(AwsError::new(
                ErrorCode::InvalidDbInstanceState,
                format!(
                    "DB instance {} is {}; it cannot be modified now.",
                    row.identifier, row.status
                ),
            )
            .into());
        }
        if let Some(storage) = changes.allocated_storage {
            if storage < row.allocated_storage {
                return Err(AwsError::invalid("AllocatedStorage", "storage can only grow").into());
            }
        }
        let mut row = instances::update(conn, row.id, &changes)?;
        events::record(
            conn,
            &row.identifier,
            &row.arn,
            "configuration change",
            "DB instance modified",
        )?;
        if password.is_some() {
            row = instances::transition(conn, row.id, InstanceStatus::Modifying, None)
                .map_err(|e| ApiError::internal("the status change failed", e))?;
            cornac_jobs::queue::enqueue(
                conn,
                Job {
                    kind: JobKind::ResetPassword,
                    instance_id: row.id,
                },
            )?;
        }
        view::instance_with_tags(scope, conn, row)
    })?;
    Ok(ModifyDbInstanceOutput { instance })
}
