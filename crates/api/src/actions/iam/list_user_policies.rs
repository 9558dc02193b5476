//! `ListUserPolicies`: one page of the names of the user's inline policies.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserPolicies.html>

use super::{inline, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::holder::HolderListInput;
use cornac_wire::actions::iam::list_user_policies::ListUserPoliciesOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: HolderListInput,
) -> Result<ListUserPoliciesOutput, ApiError> {
    Ok(inline::list(ctx, conn, &input)?.into())
}
