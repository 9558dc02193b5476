//! `RemoveTagsFromResource`: remove tags by key; absent keys are ignored.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RemoveTagsFromResource.html>

use crate::error::ApiError;
use crate::view;
use cornac_inventory::{tags, PgConnection};
use cornac_wire::actions::remove_tags_from_resource::{
    RemoveTagsFromResourceInput, RemoveTagsFromResourceOutput,
};

pub fn handle(
    conn: &mut PgConnection,
    input: RemoveTagsFromResourceInput,
) -> Result<RemoveTagsFromResourceOutput, ApiError> {
    let row = view::find(conn, "ResourceName", &input.resource_name)?;
    tags::remove(conn, row.id, &input.tag_keys)?;
    Ok(RemoveTagsFromResourceOutput)
}
