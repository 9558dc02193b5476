//! `DeleteGroup`: a group with no member and no policy leaves, or `DeleteConflict` (409) says
//! what it still has.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html>

use super::{delete_conflict, group, lock, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::holder::Holder;
use cornac_inventory::iam::{groups, policies};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::delete_group::{DeleteGroupInput, DeleteGroupOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteGroupInput,
) -> Result<DeleteGroupOutput, ApiError> {
    conn.transaction(|conn| {
        let found = group(ctx, conn, &input.group_name)?;
        let holder = Holder::Group(&found);
        lock(conn, holder)?;
        if !groups::members(conn, &found)?.is_empty() {
            return Err(delete_conflict("remove users from group"));
        }
        if !policies::inline(conn, holder)?.is_empty() {
            return Err(delete_conflict("delete policies"));
        }
        if !policies::attached(conn, holder)?.is_empty() {
            return Err(delete_conflict("detach all policies"));
        }
        groups::delete(conn, &found)?;
        Ok(DeleteGroupOutput)
    })
}
