//! `ListUsers`: the caller's account's users under a path prefix, by name whatever its case,
//! one page read at a time (one row more than the page, to know whether another follows).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html>

use super::super::Ctx;
use super::user_view;
use crate::error::ApiError;
use cornac_inventory::iam::users;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::list_users::{ListUsersInput, ListUsersOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListUsersInput,
) -> Result<ListUsersOutput, ApiError> {
    let paging = input.paging;
    let rows = users::list(
        conn,
        ctx.account_id,
        &input.path_prefix,
        paging.marker.as_deref(),
        paging.max_items + 1,
    )?;
    let page = paging.cut(rows, |u| &u.name);
    Ok(ListUsersOutput {
        users: user_view::members(&page.items),
        is_truncated: page.marker.is_some(),
        marker: page.marker,
    })
}
