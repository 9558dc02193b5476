//! `CreateDBInstance`: with its input checked (the engine version and port against this host
//! too), record the instance as `creating` (with a SCRAM verifier, never the password), and leave the
//! provisioning to the worker.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use super::Ctx;
use crate::error::ApiError;
use crate::provision;
use crate::view;
use cornac_domain::{InstanceSpec, NewInstance, ResourceId};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::create_db_instance::{CreateDbInstanceInput, CreateDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: CreateDbInstanceInput,
) -> Result<CreateDbInstanceOutput, ApiError> {
    let tags: Vec<(String, String)> = input.tags.into_iter().map(Into::into).collect();
    let new = NewInstance {
        identifier: input.identifier,
        spec: InstanceSpec {
            resource_id: ResourceId::generate(),
            engine_version: input.engine_version,
            instance_class: input.class.name.to_owned(),
            allocated_storage_gib: u32::try_from(input.allocated_storage).unwrap_or(u32::MAX),
            master_username: input.master_username,
            master_password: input.master_password.verifier(),
            db_name: input.db_name,
            port: input.port,
        },
        deletion_protection: input.deletion_protection,
        backup_retention_days: u8::try_from(input.backup_retention_period).unwrap_or(1),
        backup_window: input.backup_window,
        copy_tags_to_snapshot: input.copy_tags_to_snapshot,
        tags,
    };
    let instance = conn.transaction(|conn| {
        let row = provision::record(
            ctx.state,
            ctx.account_id,
            conn,
            &new,
            provision::Source::Empty,
        )?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })?;
    Ok(CreateDbInstanceOutput { instance })
}
