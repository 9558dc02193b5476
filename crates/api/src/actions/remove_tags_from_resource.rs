//! `RemoveTagsFromResource`: remove tags by key; absent keys are ignored.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RemoveTagsFromResource.html>

use super::Ctx;
use crate::error::ApiError;
use crate::snapshot_view;
use cornac_inventory::{tags, PgConnection};
use cornac_wire::actions::remove_tags_from_resource::{
    RemoveTagsFromResourceInput, RemoveTagsFromResourceOutput,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RemoveTagsFromResourceInput,
) -> Result<RemoveTagsFromResourceOutput, ApiError> {
    let owner = snapshot_view::tag_owner(conn, ctx.account_id, &input.resource_name)?;
    tags::remove(conn, owner, &input.tag_keys)?;
    Ok(RemoveTagsFromResourceOutput)
}
