//! What every action that makes a manual snapshot shares (CreateDBSnapshot, CopyDBSnapshot, a
//! final snapshot on delete, a snapshot on stop): under the names-and-quotas lock, the quota
//! (`SnapshotQuotaExceeded`) and the name (`DBSnapshotAlreadyExists`) are checked, and the
//! snapshot's ARN made. The inventory's unique constraint still catches a race past the lock.

use super::Ctx;
use crate::error::ApiError;
use cornac_domain::{SnapshotIdentifier, SnapshotType};
use cornac_inventory::{instances, snapshots, PgConnection};
use cornac_jobs::lifecycle::NewSnapshotArgs;
use cornac_wire::{AwsError, ErrorCode, Tag};

/// Check `identifier` may be made now; the new manual snapshot's arguments (with `tags`).
pub fn reserve(
    ctx: &Ctx,
    conn: &mut PgConnection,
    identifier: SnapshotIdentifier,
    tags: Vec<Tag>,
) -> Result<NewSnapshotArgs, ApiError> {
    instances::lock_names_and_quotas(conn)?;
    if snapshots::manual_count(conn, ctx.account_id)? >= ctx.state.quotas.max_manual_snapshots {
        return Err(AwsError::new(
            ErrorCode::SnapshotQuotaExceeded,
            "The request would exceed the user's DB snapshot quota.",
        )
        .into());
    }
    if snapshots::find_in(conn, ctx.account_id, identifier.as_str())?.is_some() {
        return Err(AwsError::snapshot_already_exists().into());
    }
    let scope = ctx.scope();
    Ok(NewSnapshotArgs {
        arn: identifier.arn(scope.region, scope.account_id),
        identifier,
        snapshot_type: SnapshotType::Manual,
        tags: tags.into_iter().map(Into::into).collect(),
        taken_at: None,
    })
}
