//! `ModifyDBInstance`: settings the inventory holds change at once (deletion protection, backup
//! retention, identifier, class and storage, which the local provider records but cannot
//! resize); the worker makes a new master password, and turns WAL archiving on or off when
//! `BackupRetentionPeriod` goes from 0 to more or back (on a provider that archives), while the
//! instance is `modifying`. Which statuses allow which change is the lifecycle's table
//! (`Modify`, `ModifyByWorker`). Every change applies immediately, whatever
//! `ApplyImmediately` says.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html>

use super::Ctx;
use crate::error::ApiError;
use crate::view;
use cornac_inventory::instances::{self, Changes};
use cornac_inventory::{Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_wire::actions::modify_db_instance::{ModifyDbInstanceInput, ModifyDbInstanceOutput};
use cornac_wire::AwsError;

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
        copy_tags_to_snapshot: input.copy_tags_to_snapshot,
        preferred_backup_window: input.backup_window.map(|w| w.to_string()),
        retain_automated_backups: None,
    };
    let instance = conn.transaction(|conn| {
        let row = view::find(
            conn,
            ctx.account_id,
            "DBInstanceIdentifier",
            &input.identifier,
        )?;
        if let Some(new) = &new_identifier {
            // Under the lock, of two renames to one name the second sees the first's commit.
            instances::lock_names_and_quotas(conn)?;
            if instances::find_in(conn, ctx.account_id, new.as_str())?.is_some() {
                return Err(AwsError::already_exists().into());
            }
        }
        if let Some(storage) = changes.allocated_storage {
            if storage < row.allocated_storage {
                return Err(AwsError::invalid("AllocatedStorage", "storage can only grow").into());
            }
        }
        let archiving_changes = changes
            .backup_retention_period
            .is_some_and(|days| (days > 0) != (row.backup_retention_period > 0));
        let operation = if password.is_some() || (archiving_changes && ctx.state.point_in_time) {
            Operation::ModifyByWorker
        } else {
            Operation::Modify
        };
        let extra = Extra {
            changes: Some(&changes),
            ..Extra::default()
        };
        let row = lifecycle::change(conn, row.id, operation, extra)?;
        view::instance_with_tags(scope, conn, row)
    })?;
    Ok(ModifyDbInstanceOutput { instance })
}
