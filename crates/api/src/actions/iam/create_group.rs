//! `CreateGroup`: a new group of the caller's account (`AGPA…`), its name free whatever its
//! case, or `EntityAlreadyExists` (409).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html>

use super::{group_shape, Ctx};
use crate::error::ApiError;
use cornac_inventory::iam::groups;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::iam::create_group::{CreateGroupInput, CreateGroupOutput};
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: CreateGroupInput,
) -> Result<CreateGroupOutput, ApiError> {
    let created = conn
        .transaction(|conn| groups::create(conn, ctx.account_id, &input.group_name, &input.path))?;
    let group = created.ok_or_else(|| {
        AwsError::new(
            ErrorCode::EntityAlreadyExists,
            format!("Group with name {} already exists.", input.group_name),
        )
    })?;
    Ok(CreateGroupOutput {
        group: group_shape(&group),
    })
}
