//! `ListAttachedGroupPolicies`: one page of the managed policies attached to the group.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedGroupPolicies.html>

use super::{attached, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::attached::ListAttachedPoliciesInput;
use cornac_wire::actions::iam::list_attached_group_policies::ListAttachedGroupPoliciesOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListAttachedPoliciesInput,
) -> Result<ListAttachedGroupPoliciesOutput, ApiError> {
    Ok(attached::list(ctx, conn, &input)?.into())
}
