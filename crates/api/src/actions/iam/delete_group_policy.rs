//! `DeleteGroupPolicy`: the group's inline policy of that name is removed.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroupPolicy.html>

use super::{inline, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::delete_group_policy::DeleteGroupPolicyOutput;
use cornac_wire::actions::iam::inline::PolicyNameInput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: PolicyNameInput,
) -> Result<DeleteGroupPolicyOutput, ApiError> {
    inline::delete(ctx, conn, &input)?;
    Ok(DeleteGroupPolicyOutput)
}
