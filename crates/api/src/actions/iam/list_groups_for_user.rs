//! `ListGroupsForUser`: one page of the groups a user of the caller's account is in, by name.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupsForUser.html>

use super::{group_shape, user, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::groups;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::list_groups_for_user::{
    ListGroupsForUserInput, ListGroupsForUserOutput,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListGroupsForUserInput,
) -> Result<ListGroupsForUserOutput, ApiError> {
    let member = user(ctx, conn, input.holder.name())?;
    let page = input
        .paging
        .page(groups::of_user(conn, &member)?, |g| &g.name);
    Ok(ListGroupsForUserOutput {
        groups: page
            .items
            .iter()
            .map(group_shape)
            .collect::<Vec<_>>()
            .into(),
        is_truncated: page.marker.is_some(),
        marker: page.marker,
    })
}
