//! `DeleteDBInstance`: `deleting`, then gone. Final snapshots do not exist yet, so
//! `SkipFinalSnapshot=true` is required; deletion protection refuses.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::state_change::{self, Change};
use super::Ctx;
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::instances::DbInstance;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::actions::delete_db_instance::{DeleteDbInstanceInput, DeleteDbInstanceOutput};
use cornac_wire::AwsError;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteDbInstanceInput,
) -> Result<DeleteDbInstanceOutput, ApiError> {
    let change = Change {
        to: InstanceStatus::Deleting,
        job: JobKind::Delete,
        event: "DB instance is being deleted",
        check: refuse_protected,
    };
    let instance = state_change::apply(ctx, conn, &input.identifier, change)?;
    Ok(DeleteDbInstanceOutput { instance })
}

/// Deletion protection refuses a delete, here and through postgraas.
pub fn refuse_protected(row: &DbInstance) -> Result<(), AwsError> {
    if row.deletion_protection {
        return Err(AwsError::combination(
            "Cannot delete protected DB Instance, please disable deletion protection and try again.",
        ));
    }
    Ok(())
}
