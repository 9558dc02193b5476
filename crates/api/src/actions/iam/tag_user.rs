//! `TagUser`: add or replace tags of a user (a key in another case replaces it), at most 50 in
//! all (`LimitExceeded`), counted with the user's row locked.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagUser.html>

use super::super::Ctx;
use crate::error::ApiError;
use cornac_inventory::iam::{self, user_tags};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::tag_user::{TagUserInput, TagUserOutput};
use cornac_wire::actions::iam::tags::MAX_TAGS;
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: TagUserInput,
) -> Result<TagUserOutput, ApiError> {
    let tags: Vec<(String, String)> = input.tags.into_iter().map(Into::into).collect();
    let keys: Vec<String> = tags.iter().map(|(k, _)| k.clone()).collect();
    conn.transaction(|conn| {
        let user = super::user_locked(ctx, conn, &input.name)?;
        if user_tags::count_with(conn, user.id, &keys)? > MAX_TAGS {
            return Err(AwsError::new(
                ErrorCode::LimitExceeded,
                format!("Cannot exceed quota for TagsPerUser: {MAX_TAGS}"),
            )
            .into());
        }
        user_tags::put(conn, user.id, &tags)?;
        iam::bump(conn, ctx.account_id)?;
        Ok(TagUserOutput)
    })
}
