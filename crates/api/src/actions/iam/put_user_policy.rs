//! `PutUserPolicy`: the user's inline policy of that name, added or replaced (see
//! `inline::put`).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html>

use super::{inline, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::inline::PutPolicyInput;
use cornac_wire::actions::iam::put_user_policy::PutUserPolicyOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: PutPolicyInput,
) -> Result<PutUserPolicyOutput, ApiError> {
    inline::put(ctx, conn, &input)?;
    Ok(PutUserPolicyOutput)
}
