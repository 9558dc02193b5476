//! `DeleteDBInstance`: `deleting`, then gone; with `FinalDBSnapshotIdentifier`, the snapshot is
//! recorded `creating` in the same transaction and the delete job backs the instance up before
//! it deletes it. Deletion protection refuses (in the lifecycle). `DeleteAutomatedBackups=false`
//! marks the row in the same transaction, and the delete's finish keeps its automated backups
//! (`RetainBackups`).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::{snapshot_quota, state_change, Ctx};
use crate::error::ApiError;
use cornac_inventory::instances::Changes;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::delete_db_instance::{DeleteDbInstanceInput, DeleteDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteDbInstanceInput,
) -> Result<DeleteDbInstanceOutput, ApiError> {
    // Written either way, so a failed delete asked again decides again.
    let changes = Changes {
        retain_automated_backups: Some(input.retain_automated_backups),
        ..Changes::default()
    };
    let (operation, snapshot) = match input.final_snapshot {
        None => (Operation::Delete, None),
        Some(snapshot) => (Operation::DeleteWithSnapshot, Some(snapshot)),
    };
    let instance =
        state_change::apply_changing(ctx, conn, &input.identifier, operation, &changes, |conn| {
            snapshot
                .map(|s| snapshot_quota::reserve(ctx, conn, s, Vec::new()))
                .transpose()
        })?;
    Ok(DeleteDbInstanceOutput { instance })
}
