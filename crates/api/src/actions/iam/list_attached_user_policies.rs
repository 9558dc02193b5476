//! `ListAttachedUserPolicies`: one page of the managed policies attached to the user.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedUserPolicies.html>

use super::{attached, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::attached::ListAttachedPoliciesInput;
use cornac_wire::actions::iam::list_attached_user_policies::ListAttachedUserPoliciesOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListAttachedPoliciesInput,
) -> Result<ListAttachedUserPoliciesOutput, ApiError> {
    Ok(attached::list(ctx, conn, &input)?.into())
}
