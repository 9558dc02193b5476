//! `GetAccessKeyLastUsed`: when a key of the caller's account was last used, for which
//! service, in this endpoint's region (`N/A` for a key never used), and whose it is.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html>

use super::super::Ctx;
use super::keys::no_such_key;
use crate::error::ApiError;
use cornac_inventory::iam::keys;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::date;
use cornac_wire::actions::iam::get_access_key_last_used::{
    AccessKeyLastUsed, GetAccessKeyLastUsedInput, GetAccessKeyLastUsedOutput,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: GetAccessKeyLastUsedInput,
) -> Result<GetAccessKeyLastUsedOutput, ApiError> {
    let (key, user_name) = keys::find(conn, ctx.account_id, &input.access_key_id)?
        .ok_or_else(|| no_such_key(&input.access_key_id))?;
    let last_used = match key.last_used_at {
        Some(at) => AccessKeyLastUsed {
            last_used_date: Some(date(at)),
            service_name: key.last_used_service.unwrap_or_else(|| "N/A".into()),
            region: ctx.state.region.clone(),
        },
        None => AccessKeyLastUsed::never(),
    };
    Ok(GetAccessKeyLastUsedOutput {
        user_name,
        last_used,
    })
}
