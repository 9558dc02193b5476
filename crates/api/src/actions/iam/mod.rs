//! IAM's actions on the same endpoint (version `2010-05-08`), one module each, and the lookups
//! they share: a user or group of the caller's account by name, or `NoSuchEntity` (404).

pub(super) mod create_access_key;
pub(super) mod create_user;
pub(super) mod delete_access_key;
pub(super) mod delete_user;
pub(super) mod get_access_key_last_used;
pub(super) mod get_user;
mod keys;
pub(super) mod list_access_keys;
pub(super) mod list_user_tags;
pub(super) mod list_users;
pub(super) mod tag_user;
pub(super) mod untag_user;
pub(super) mod update_access_key;
mod user_view;

use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::users::{self, User};
use cornac_inventory::PgConnection;
use cornac_wire::{AwsError, ErrorCode};

/// The caller's account's user `name`.
pub(crate) fn user(ctx: &Ctx, conn: &mut PgConnection, name: &str) -> Result<User, ApiError> {
    users::find(conn, ctx.account_id, name)?.ok_or_else(|| no_such_user(name).into())
}

/// [`user`], locked until the transaction ends (see `users::find_locked`).
pub(crate) fn user_locked(
    ctx: &Ctx,
    conn: &mut PgConnection,
    name: &str,
) -> Result<User, ApiError> {
    users::find_locked(conn, ctx.account_id, name)?.ok_or_else(|| no_such_user(name).into())
}

fn no_such_user(name: &str) -> AwsError {
    AwsError::new(
        ErrorCode::NoSuchEntity,
        format!("The user with name {name} cannot be found."),
    )
}
