//! `ListAccessKeys`: the keys of a user of the caller's account, or with no `UserName` of the
//! caller (the root's own keys for the account root), by id, never their secrets.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html>

use super::super::Ctx;
use super::keys::holder;
use crate::error::ApiError;
use cornac_inventory::iam::keys;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::access_key::{status, AccessKeyMetadata};
use cornac_wire::actions::iam::date;
use cornac_wire::actions::iam::list_access_keys::{ListAccessKeysInput, ListAccessKeysOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListAccessKeysInput,
) -> Result<ListAccessKeysOutput, ApiError> {
    let holder = holder(ctx, conn, input.user.as_deref())?;
    let page = input
        .paging
        .page(keys::of(conn, &holder)?, |k| &k.access_key_id);
    Ok(ListAccessKeysOutput {
        keys: page
            .items
            .into_iter()
            .map(|k| AccessKeyMetadata {
                user_name: holder.user_name().map(str::to_owned),
                access_key_id: k.access_key_id,
                status: status(k.active),
                create_date: date(k.created_at),
            })
            .collect::<Vec<_>>()
            .into(),
        is_truncated: page.marker.is_some(),
        marker: page.marker,
    })
}
