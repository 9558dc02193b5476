//! `DeleteDBInstanceAutomatedBackup`: a retained automated backup (of a deleted instance) goes:
//! each of its automated snapshots expires through the `delete_snapshot` job, as an expiry
//! does, and the retained backup is removed, in one transaction (`DeleteRetainedBackup`). A
//! live instance's automated backups are `InvalidDBInstanceAutomatedBackupState` (turning
//! `BackupRetentionPeriod` to 0 drops them); none at all is `DBInstanceAutomatedBackupNotFound`.
//! Nothing of any other backup is touched.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstanceAutomatedBackup.html>

use super::Ctx;
use crate::automated_backup_view::{self, Retained};
use crate::error::ApiError;
use cornac_inventory::{instances, Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Operation};
use cornac_wire::actions::delete_db_instance_automated_backup::{
    DeleteDbInstanceAutomatedBackupInput, DeleteDbInstanceAutomatedBackupOutput,
};
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteDbInstanceAutomatedBackupInput,
) -> Result<DeleteDbInstanceAutomatedBackupOutput, ApiError> {
    let id = &input.resource_id;
    conn.transaction(|conn| {
        let Some(kept) = automated_backup_view::find_retained(conn, ctx.account_id, id)? else {
            return Err(match instances::find_by_resource_id(conn, id.as_str())? {
                Some(row) if !row.system && row.backup_retention_period > 0 => AwsError::new(
                    ErrorCode::InvalidDbInstanceAutomatedBackupState,
                    format!(
                        "The automated backups of DB instance {} are active, not retained: only \
                         a deleted instance's retained automated backups can be deleted.",
                        row.identifier
                    ),
                ),
                _ => AwsError::automated_backup_not_found(&input.named),
            }
            .into());
        };
        let row = lifecycle::apply_retained(conn, kept.row.id, Operation::DeleteRetainedBackup)?;
        let gone = Retained {
            row,
            newest: kept.newest,
        };
        Ok(DeleteDbInstanceAutomatedBackupOutput {
            backup: automated_backup_view::retained_shape(ctx.scope(), &gone, "deleting"),
        })
    })
}
