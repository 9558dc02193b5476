//! `UpdateAccessKey`: make a key of a user (or of the caller) active or inactive; an inactive
//! key is refused from the next request on (the request path reads the key's row each time).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html>

use super::super::Ctx;
use super::keys::{holder, no_such_key};
use crate::error::ApiError;
use cornac_inventory::iam::keys;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::update_access_key::{UpdateAccessKeyInput, UpdateAccessKeyOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: UpdateAccessKeyInput,
) -> Result<UpdateAccessKeyOutput, ApiError> {
    conn.transaction(|conn| {
        let holder = holder(ctx, conn, input.user.as_deref())?;
        if !keys::set_active(conn, &holder, &input.access_key_id, input.active)? {
            return Err(no_such_key(&input.access_key_id));
        }
        tracing::info!(access_key_id = %input.access_key_id, active = input.active, "access key updated");
        Ok(UpdateAccessKeyOutput)
    })
}
