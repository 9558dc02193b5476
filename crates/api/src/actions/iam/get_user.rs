//! `GetUser`: a user of the caller's account with its tags, or with no `UserName` the caller
//! itself (the account root as AWS shows it).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html>

use super::super::Ctx;
use super::user_view;
use crate::error::ApiError;
use cornac_inventory::iam::user_tags;
use cornac_inventory::{accounts, PgConnection};
use cornac_wire::actions::iam::get_user::{GetUserInput, GetUserOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: GetUserInput,
) -> Result<GetUserOutput, ApiError> {
    let user = match (input.name, ctx.user) {
        (Some(name), _) => super::user(ctx, conn, &name)?,
        (None, Some(me)) => me.clone(),
        (None, None) => {
            let account = accounts::get(conn, ctx.account_id)?.ok_or_else(|| {
                ApiError::internal("the caller's account is gone", "no such account row")
            })?;
            return Ok(GetUserOutput {
                user: user_view::root(&account),
            });
        }
    };
    let tags = user_tags::list(conn, user.id)?;
    Ok(GetUserOutput {
        user: user_view::shape(&user, Some(tags)),
    })
}
