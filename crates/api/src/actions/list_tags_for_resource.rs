//! `ListTagsForResource`: the tags of the instance or snapshot an ARN names.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ListTagsForResource.html>

use super::Ctx;
use crate::error::ApiError;
use crate::{snapshot_view, view};
use cornac_inventory::{tags, PgConnection};
use cornac_wire::actions::list_tags_for_resource::{
    ListTagsForResourceInput, ListTagsForResourceOutput,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: ListTagsForResourceInput,
) -> Result<ListTagsForResourceOutput, ApiError> {
    let owner = snapshot_view::tag_owner(conn, ctx.account_id, &input.resource_name)?;
    let tag_list = view::tag_list(tags::list(conn, owner)?);
    Ok(ListTagsForResourceOutput { tag_list })
}
