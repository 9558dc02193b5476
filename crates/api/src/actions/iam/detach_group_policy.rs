//! `DetachGroupPolicy`: a managed policy attached to the group is detached.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachGroupPolicy.html>

use super::{attached, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::attached::DetachPolicyInput;
use cornac_wire::actions::iam::detach_group_policy::DetachGroupPolicyOutput;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DetachPolicyInput,
) -> Result<DetachGroupPolicyOutput, ApiError> {
    attached::detach(ctx, conn, &input)?;
    Ok(DetachGroupPolicyOutput)
}
