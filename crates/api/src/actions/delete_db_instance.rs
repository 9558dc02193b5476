//! `DeleteDBInstance`: `deleting`, then gone; with `FinalDBSnapshotIdentifier`, the snapshot is
//! recorded `creating` in the same transaction and the delete job backs the instance up before
//! it deletes it. Deletion protection refuses (in the lifecycle).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::{snapshot_quota, state_change, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::delete_db_instance::{DeleteDbInstanceInput, DeleteDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteDbInstanceInput,
) -> Result<DeleteDbInstanceOutput, ApiError> {
    let instance = match input.final_snapshot {
        None => state_change::apply(ctx, conn, &input.identifier, Operation::Delete)?,
        Some(snapshot) => state_change::apply_with_snapshot(
            ctx,
            conn,
            &input.identifier,
            Operation::DeleteWithSnapshot,
            |conn| snapshot_quota::reserve(ctx, conn, snapshot, Vec::new()),
        )?,
    };
    Ok(DeleteDbInstanceOutput { instance })
}
