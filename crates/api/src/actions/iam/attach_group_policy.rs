//! `AttachGroupPolicy`: an AWS-managed policy Cornac serves is attached to the group.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachGroupPolicy.html>

use super::{attached, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::attach_group_policy::AttachGroupPolicyOutput;
use cornac_wire::actions::iam::attached::AttachPolicyInput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: AttachPolicyInput,
) -> Result<AttachGroupPolicyOutput, ApiError> {
    attached::attach(ctx, conn, &input)?;
    Ok(AttachGroupPolicyOutput)
}
