//! `GetUserPolicy`: the user's inline policy of that name (its document URL-encoded on the
//! wire).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html>

use super::{inline, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::get_user_policy::GetUserPolicyOutput;
use cornac_wire::actions::iam::inline::{PolicyDocument, PolicyNameInput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: PolicyNameInput,
) -> Result<GetUserPolicyOutput, ApiError> {
    let found = inline::get(ctx, conn, &input)?;
    Ok(GetUserPolicyOutput {
        user_name: found.holder,
        policy_name: found.name,
        policy_document: PolicyDocument(found.document),
    })
}
