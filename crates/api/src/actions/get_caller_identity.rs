//! STS `GetCallerIdentity` on the same endpoint: the caller's account and key, and the
//! account root's ARN (every key is a root key), so tools that check who they are first
//! (Terraform) work.
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>

use super::Ctx;
use cornac_wire::actions::get_caller_identity::GetCallerIdentityOutput;

pub fn handle(ctx: &Ctx) -> GetCallerIdentityOutput {
    GetCallerIdentityOutput {
        user_id: ctx.access_key_id.to_owned(),
        account: ctx.account_id.to_owned(),
        arn: format!("arn:aws:iam::{}:root", ctx.account_id),
    }
}
