//! `ListGroupPolicies`: one page of the names of the group's inline policies.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupPolicies.html>

use super::{inline, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::holder::HolderListInput;
use cornac_wire::actions::iam::list_group_policies::ListGroupPoliciesOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: HolderListInput,
) -> Result<ListGroupPoliciesOutput, ApiError> {
    Ok(inline::list(ctx, conn, &input)?.into())
}
