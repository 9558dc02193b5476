//! IAM's actions on the same endpoint (version `2010-05-08`), one module each, and the lookups
//! they share: a user or group of the caller's account by name, or `NoSuchEntity` (404).

use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::users::{self, User};
use cornac_inventory::PgConnection;
use cornac_wire::{AwsError, ErrorCode};

/// The caller's account's user `name`.
pub(crate) fn user(ctx: &Ctx, conn: &mut PgConnection, name: &str) -> Result<User, ApiError> {
    users::find(conn, ctx.account_id, name)?.ok_or_else(|| {
        AwsError::new(
            ErrorCode::NoSuchEntity,
            format!("The user with name {name} cannot be found."),
        )
        .into()
    })
}
