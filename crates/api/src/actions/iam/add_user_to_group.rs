//! `AddUserToGroup`: the user joins the group (again is no change), within IAM's quota of 10
//! groups a user (`LimitExceeded`, 409).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html>

use super::{group, lock, user, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::groups;
use cornac_inventory::iam::holder::Holder;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::add_user_to_group::{AddUserToGroupOutput, MembershipInput};
use cornac_wire::{AwsError, ErrorCode};

/// IAM's quota of groups a user is a member of.
const GROUPS_PER_USER: usize = 10;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: MembershipInput,
) -> Result<AddUserToGroupOutput, ApiError> {
    conn.transaction(|conn| {
        let found = group(ctx, conn, &input.group_name)?;
        let member = user(ctx, conn, &input.user_name)?;
        lock(conn, Holder::Group(&found))?;
        lock(conn, Holder::User(&member))?;
        let of_user = groups::of_user(conn, &member)?;
        if !of_user.iter().any(|g| g.id == found.id) && of_user.len() >= GROUPS_PER_USER {
            return Err(AwsError::new(
                ErrorCode::LimitExceeded,
                format!("Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}"),
            )
            .into());
        }
        groups::add(conn, &found, &member)?;
        Ok(AddUserToGroupOutput)
    })
}
