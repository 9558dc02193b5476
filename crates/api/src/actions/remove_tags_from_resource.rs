//! `RemoveTagsFromResource`: remove tags by key (`TagKeys.member.N`); absent keys are ignored.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RemoveTagsFromResource.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::view;
use cornac_inventory::{tags, PgConnection};
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let arn = params.required("ResourceName")?;
    let keys = params.list("TagKeys")?;
    if keys.is_empty() {
        return Err(AwsError::missing("TagKeys").into());
    }
    let row = view::find(ctx, conn, "ResourceName", arn)?;
    tags::remove(conn, row.id, &keys)?;
    Ok(ctx.reply_empty())
}
