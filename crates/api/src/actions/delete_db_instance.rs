//! `DeleteDBInstance`: `deleting`, then gone. Final snapshots do not exist yet, so
//! `SkipFinalSnapshot=true` is required; deletion protection refuses (in the lifecycle).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::state_change;
use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::delete_db_instance::{DeleteDbInstanceInput, DeleteDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteDbInstanceInput,
) -> Result<DeleteDbInstanceOutput, ApiError> {
    let instance = state_change::apply(ctx, conn, &input.identifier, Operation::Delete)?;
    Ok(DeleteDbInstanceOutput { instance })
}
