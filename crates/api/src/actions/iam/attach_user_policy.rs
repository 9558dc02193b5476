//! `AttachUserPolicy`: an AWS-managed policy Cornac serves is attached to the user.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html>

use super::{attached, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::attach_user_policy::AttachUserPolicyOutput;
use cornac_wire::actions::iam::attached::AttachPolicyInput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: AttachPolicyInput,
) -> Result<AttachUserPolicyOutput, ApiError> {
    attached::attach(ctx, conn, &input)?;
    Ok(AttachUserPolicyOutput)
}
