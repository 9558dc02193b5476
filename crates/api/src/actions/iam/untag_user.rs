//! `UntagUser`: remove tags of a user by key, whatever its case; absent keys are ignored.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagUser.html>

use super::super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::{self, user_tags};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::untag_user::{UntagUserInput, UntagUserOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: UntagUserInput,
) -> Result<UntagUserOutput, ApiError> {
    conn.transaction(|conn| {
        let user = super::user(ctx, conn, &input.name)?;
        user_tags::remove(conn, user.id, &input.keys)?;
        iam::bump(conn, ctx.account_id)?;
        Ok(UntagUserOutput)
    })
}
