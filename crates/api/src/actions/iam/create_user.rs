//! `CreateUser`: a user of the caller's account, its name unique whatever its case, with a new
//! unique id (`AIDA…`), its path and tags.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html>

use super::super::Ctx;
use super::user_view;
use crate::error::ApiError;
use cornac_inventory::iam::{self, user_tags, users};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::create_user::{CreateUserInput, CreateUserOutput};
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: CreateUserInput,
) -> Result<CreateUserOutput, ApiError> {
    let tags: Vec<(String, String)> = input.tags.into_iter().map(Into::into).collect();
    conn.transaction(|conn| {
        let user =
            users::create(conn, ctx.account_id, &input.name, &input.path)?.ok_or_else(|| {
                AwsError::new(
                    ErrorCode::EntityAlreadyExists,
                    format!("User with name {} already exists.", input.name),
                )
            })?;
        user_tags::put(conn, user.id, &tags)?;
        iam::bump(conn, ctx.account_id)?;
        Ok(CreateUserOutput {
            user: user_view::shape(&user, Some(tags)),
        })
    })
}
