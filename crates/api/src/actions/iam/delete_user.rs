//! `DeleteUser`: remove a user and its tags, refused (`DeleteConflict`) while it still has
//! access keys, inline or attached policies, or groups. The user's row is locked first, so
//! nothing is added to it meanwhile.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html>

use super::super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam;
use cornac_inventory::iam::users::{self, Dependent};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::delete_user::{DeleteUserInput, DeleteUserOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteUserInput,
) -> Result<DeleteUserOutput, ApiError> {
    conn.transaction(|conn| {
        let user = super::user_locked(ctx, conn, &input.name)?;
        if let Some(dependent) = users::dependent(conn, user.id)? {
            return Err(super::delete_conflict(match dependent {
                Dependent::AccessKeys => "delete access keys",
                Dependent::InlinePolicies => "delete policies",
                Dependent::AttachedPolicies => "detach all policies",
                Dependent::Groups => "remove users from group",
            }));
        }
        users::delete(conn, user.id)?;
        iam::bump(conn, ctx.account_id)?;
        Ok(DeleteUserOutput)
    })
}
