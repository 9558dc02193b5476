//! `ListUserTags`: a user's tags by key, a page at a time (a user has at most 50).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserTags.html>

use super::super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::user_tags;
use cornac_inventory::PgConnection;
use cornac_wire::actions::iam::list_user_tags::{ListUserTagsInput, ListUserTagsOutput};
use cornac_wire::actions::iam::tags;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListUserTagsInput,
) -> Result<ListUserTagsOutput, ApiError> {
    let user = super::user(ctx, conn, &input.name)?;
    let page = input
        .paging
        .page(user_tags::list(conn, user.id)?, |(key, _)| key);
    Ok(ListUserTagsOutput {
        tags: tags::shape(page.items),
        is_truncated: page.marker.is_some(),
        marker: page.marker,
    })
}
