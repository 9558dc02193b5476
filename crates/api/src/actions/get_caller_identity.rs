//! STS `GetCallerIdentity` on the same endpoint: the caller's account, and its IAM user's id
//! and ARN, or the account root's (whose id is the account's), so tools that check who they
//! are first (Terraform) work. It needs no permission.
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>

use super::Ctx;
use cornac_wire::actions::get_caller_identity::GetCallerIdentityOutput;

pub fn handle(ctx: &Ctx) -> GetCallerIdentityOutput {
    let (user_id, arn) = match ctx.user {
        Some(user) => (user.user_id.clone(), user.arn()),
        None => (
            ctx.account_id.to_owned(),
            format!("arn:aws:iam::{}:root", ctx.account_id),
        ),
    };
    GetCallerIdentityOutput {
        user_id,
        account: ctx.account_id.to_owned(),
        arn,
    }
}
