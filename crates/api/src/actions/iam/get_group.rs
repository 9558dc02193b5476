//! `GetGroup`: a group of the caller's account and one page of its users, by name.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html>

use super::{group, group_shape, user_view, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::groups;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::get_group::{GetGroupInput, GetGroupOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: GetGroupInput,
) -> Result<GetGroupOutput, ApiError> {
    let found = group(ctx, conn, input.holder.name())?;
    let page = input
        .paging
        .page(groups::members(conn, &found)?, |u| &u.name);
    Ok(GetGroupOutput {
        group: group_shape(&found),
        users: user_view::members(&page.items),
        is_truncated: page.marker.is_some(),
        marker: page.marker,
    })
}
