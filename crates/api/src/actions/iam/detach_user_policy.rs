//! `DetachUserPolicy`: a managed policy attached to the user is detached.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachUserPolicy.html>

use super::{attached, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::attached::DetachPolicyInput;
use cornac_wire::actions::iam::detach_user_policy::DetachUserPolicyOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DetachPolicyInput,
) -> Result<DetachUserPolicyOutput, ApiError> {
    attached::detach(ctx, conn, &input)?;
    Ok(DetachUserPolicyOutput)
}
