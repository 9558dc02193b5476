//! `ModifyDBInstance`: settings the inventory holds change at once (deletion protection, backup
//! retention, identifier, class and storage, which the local provider records but cannot
//! resize); a new master password is set by the worker while the instance is `modifying`.
//! Every change applies immediately, whatever `ApplyImmediately` says.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::view;
use cornac_domain::{InstanceClass, InstanceIdentifier, InstanceStatus, MasterPassword};
use cornac_inventory::instances::{self, Changes};
use cornac_inventory::{events, Connection, PgConnection};
use cornac_jobs::{Job, JobKind};
use cornac_wire::{AwsError, ErrorCode, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let raw_identifier = params.required("DBInstanceIdentifier")?;
    params.bool("ApplyImmediately")?;
    let new_identifier = params
        .get("NewDBInstanceIdentifier")
        .map(|raw| InstanceIdentifier::parse_as("NewDBInstanceIdentifier", raw))
        .transpose()?;
    let password = params
        .get("MasterUserPassword")
        .map(MasterPassword::parse)
        .transpose()?;
    let class = params
        .get("DBInstanceClass")
        .map(InstanceClass::parse)
        .transpose()?;
    let changes = Changes {
        arn: new_identifier
            .as_ref()
            .map(|i| i.arn(&ctx.state.region, &ctx.state.account_id)),
        identifier: new_identifier.as_ref().map(ToString::to_string),
        instance_class: class.map(|c| c.name.to_owned()),
        allocated_storage: params.int("AllocatedStorage", 1, 65536)?.map(|s| s as i32),
        master_password_verifier: password.as_ref().map(|p| p.verifier().as_str().to_owned()),
        deletion_protection: params.bool("DeletionProtection")?,
        backup_retention_period: params
            .int("BackupRetentionPeriod", 0, 35)?
            .map(|r| r as i32),
    };
    if changes == Changes::default() {
        return Err(AwsError::combination("No modifications were requested").into());
    }
    conn.transaction(|conn| {
        let row = view::find(ctx, conn, "DBInstanceIdentifier", raw_identifier)?;
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
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            cornac_jobs::queue::enqueue(
                conn,
                Job {
                    kind: JobKind::ResetPassword,
                    instance_id: row.id,
                },
            )?;
        }
        Ok(ctx.reply(&view::instance_result(ctx, conn, row)?))
    })
}
