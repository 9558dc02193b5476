//! `DeleteAccessKey`: remove a key of a user (or of the caller); it is refused from the next
//! request on.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccessKey.html>

use super::super::Ctx;
use super::keys::{holder, no_such_key};
use crate::error::ApiError;
use cornac_inventory::iam::keys;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::delete_access_key::{DeleteAccessKeyInput, DeleteAccessKeyOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteAccessKeyInput,
) -> Result<DeleteAccessKeyOutput, ApiError> {
    conn.transaction(|conn| {
        let holder = holder(ctx, conn, input.user.as_deref())?;
        if !keys::delete(conn, &holder, &input.access_key_id)? {
            return Err(no_such_key(&input.access_key_id));
        }
        tracing::info!(access_key_id = %input.access_key_id, "access key deleted");
        Ok(DeleteAccessKeyOutput)
    })
}
