//! `DeleteDBInstance`: `deleting`, then gone. Final snapshots do not exist yet, so
//! `SkipFinalSnapshot=true` is required; deletion protection refuses.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::state_change::{self, Change};
use super::{Ctx, Reply};
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::instances::DbInstance;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let identifier = params.required("DBInstanceIdentifier")?;
    let skip = params.bool("SkipFinalSnapshot")?.unwrap_or(false);
    match (skip, params.get("FinalDBSnapshotIdentifier")) {
        (true, Some(_)) => {
            return Err(AwsError::combination(
                "Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.",
            )
            .into())
        }
        (false, None) => {
            return Err(AwsError::combination(
                "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
            )
            .into())
        }
        (false, Some(_)) => {
            return Err(AwsError::invalid(
                "FinalDBSnapshotIdentifier",
                "final snapshots are not supported yet; delete with SkipFinalSnapshot=true",
            )
            .into())
        }
        (true, None) => {}
    }
    let change = Change {
        to: InstanceStatus::Deleting,
        job: JobKind::Delete,
        event: "DB instance is being deleted",
        check: refuse_protected,
    };
    state_change::apply(ctx, conn, identifier, change)
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
