//! `ListTagsForResource`: the tags of the instance an ARN names.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ListTagsForResource.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::view;
use cornac_inventory::{tags, PgConnection};
use cornac_wire::shapes::ListTagsResult;
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let arn = params.required("ResourceName")?;
    if !params.filters()?.is_empty() {
        return Err(AwsError::invalid("Filters", "filters are not supported for tags").into());
    }
    let row = view::find(ctx, conn, "ResourceName", arn)?;
    let tag_list = view::tag_list(tags::list(conn, row.id)?);
    Ok(ctx.reply(&ListTagsResult { tag_list }))
}
