//! STS `GetCallerIdentity` on the same endpoint: the account and the calling key, so tools that
//! check who they are first (Terraform) work.
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>

use super::Ctx;
use cornac_wire::actions::get_caller_identity::GetCallerIdentityOutput;

pub fn handle(ctx: &Ctx) -> GetCallerIdentityOutput {
    GetCallerIdentityOutput {
        user_id: ctx.access_key_id.to_owned(),
        account: ctx.state.account_id.clone(),
        arn: format!(
            "arn:aws:iam::{}:user/{}",
            ctx.state.account_id, ctx.access_key_id
        ),
    }
}
