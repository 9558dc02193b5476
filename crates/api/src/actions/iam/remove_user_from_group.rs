//! `RemoveUserFromGroup`: the user leaves the group; a user not in it is `NoSuchEntity`, as
//! IAM answers.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveUserFromGroup.html>

use super::{group, lock, missing, user, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::groups;
use cornac_inventory::iam::holder::Holder;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::remove_user_from_group::{
    RemoveUserFromGroupInput, RemoveUserFromGroupOutput,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RemoveUserFromGroupInput,
) -> Result<RemoveUserFromGroupOutput, ApiError> {
    conn.transaction(|conn| {
        let found = group(ctx, conn, &input.group_name)?;
        let member = user(ctx, conn, &input.user_name)?;
        lock(conn, Holder::Group(&found))?;
        if groups::remove(conn, &found, &member)? {
            Ok(RemoveUserFromGroupOutput)
        } else {
            Err(missing("user", &input.user_name))
        }
    })
}
