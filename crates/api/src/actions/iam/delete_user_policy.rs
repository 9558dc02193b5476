//! `DeleteUserPolicy`: the user's inline policy of that name is removed.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPolicy.html>

use super::{inline, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::delete_user_policy::DeleteUserPolicyOutput;
use cornac_wire::actions::iam::inline::PolicyNameInput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: PolicyNameInput,
) -> Result<DeleteUserPolicyOutput, ApiError> {
    inline::delete(ctx, conn, &input)?;
    Ok(DeleteUserPolicyOutput)
}
