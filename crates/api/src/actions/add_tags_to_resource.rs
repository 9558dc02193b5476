//! `AddTagsToResource`: add or overwrite tags of the instance or snapshot an ARN names (at most 50 in all).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_AddTagsToResource.html>

use super::Ctx;
use crate::error::ApiError;
use crate::snapshot_view;
use cornac_domain::tag::MAX_TAGS;
use cornac_inventory::{tags, Connection, PgConnection};
use cornac_wire::actions::add_tags_to_resource::{AddTagsToResourceInput, AddTagsToResourceOutput};
use cornac_wire::actions::tags as wire_tags;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: AddTagsToResourceInput,
) -> Result<AddTagsToResourceOutput, ApiError> {
    let new: Vec<(String, String)> = input.tags.into_iter().map(Into::into).collect();
    conn.transaction(|conn| {
        let owner = snapshot_view::tag_owner(conn, ctx.account_id, &input.resource_name)?;
        let keys: Vec<String> = new.iter().map(|(k, _)| k.clone()).collect();
        if tags::count_with(conn, owner, &keys)? > MAX_TAGS {
            return Err(wire_tags::too_many().into());
        }
        tags::put(conn, owner, &new)?;
        Ok(AddTagsToResourceOutput)
    })
}
