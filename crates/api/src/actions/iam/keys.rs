//! What the key actions share: whose keys a request names (a user of the caller's account,
//! or with no `UserName` the caller itself: its user, or the account root), and the answer
//! for a key that holder does not have.

use super::super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::keys::Holder;
use cornac_inventory::PgConnection;
use cornac_wire::{AwsError, ErrorCode};

/// The holder of the keys `name` names (`None`: the caller's own).
pub(super) fn holder(
    ctx: &Ctx,
    conn: &mut PgConnection,
    name: Option<&str>,
) -> Result<Holder, ApiError> {
    Ok(match (name, ctx.user) {
        (Some(name), _) => Holder::User(super::user(ctx, conn, name)?),
        (None, Some(me)) => Holder::User(me.clone()),
        (None, None) => Holder::Root {
            account: ctx.account_id.to_owned(),
        },
    })
}

/// `NoSuchEntity` for the key `id`, missing, of another holder or of another account alike.
pub(super) fn no_such_key(id: &str) -> ApiError {
    AwsError::new(
        ErrorCode::NoSuchEntity,
        format!("The Access Key with id {id} cannot be found."),
    )
    .into()
}
