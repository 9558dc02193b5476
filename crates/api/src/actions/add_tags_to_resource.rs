//! `AddTagsToResource`: add or overwrite tags of the instance an ARN names (at most 50 in all).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_AddTagsToResource.html>

use super::create_db_instance::checked_tags;
use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::view;
use cornac_domain::tag::MAX_TAGS;
use cornac_inventory::{tags, Connection, PgConnection};
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let arn = params.required("ResourceName")?;
    let new = checked_tags(params)?;
    if new.is_empty() {
        return Err(AwsError::missing("Tags").into());
    }
    conn.transaction(|conn| {
        let row = view::find(ctx, conn, "ResourceName", arn)?;
        let keys: Vec<String> = new.iter().map(|(k, _)| k.clone()).collect();
        if tags::count_with(conn, row.id, &keys)? > MAX_TAGS {
            return Err(AwsError::invalid(
                "Tags",
                format!("a resource has at most {MAX_TAGS} tags"),
            )
            .into());
        }
        tags::put(conn, row.id, &new)?;
        Ok(ctx.reply_empty())
    })
}
