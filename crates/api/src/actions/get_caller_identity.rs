//! STS `GetCallerIdentity` on the same endpoint: the account and the calling key, so tools that
//! check who they are first (Terraform) work.
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use cornac_wire::shapes::CallerIdentity;

pub fn handle(ctx: &Ctx) -> Result<Reply, ApiError> {
    Ok(ctx.reply(&CallerIdentity {
        user_id: ctx.access_key_id.to_owned(),
        account: ctx.state.account_id.clone(),
        arn: format!(
            "arn:aws:iam::{}:user/{}",
            ctx.state.account_id, ctx.access_key_id
        ),
    }))
}
