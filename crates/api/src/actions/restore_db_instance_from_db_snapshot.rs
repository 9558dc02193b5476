//! `RestoreDBInstanceFromDBSnapshot`: a new instance, `creating`, with the snapshot's engine
//! version, storage, database and master user (its password verifier too: the snapshot's
//! master password); its create job restores the snapshot's backup through the provider
//! (`Provider::restore` with `RestorePoint::Backup`). Quotas are those of a create.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html>

use super::Ctx;
use crate::error::ApiError;
use crate::{provision, snapshot_view, view};
use cornac_domain::{NewInstance, ResourceId};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::restore_db_instance_from_db_snapshot::{
    default_parameter_group, parameter_group_not_found, RestoreDbInstanceFromDbSnapshotInput,
    RestoreDbInstanceFromDbSnapshotOutput,
};
use cornac_wire::form::in_range;
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RestoreDbInstanceFromDbSnapshotInput,
) -> Result<RestoreDbInstanceFromDbSnapshotOutput, ApiError> {
    let ports = &ctx.state.ports;
    let port = input
        .port
        .map(|p| in_range("Port", p, (*ports.start()).into(), (*ports.end()).into()))
        .transpose()?
        .and_then(|p| u16::try_from(p).ok());
    let instance = conn.transaction(|conn| {
        let snapshot = snapshot_view::find(conn, &input.snapshot)?;
        // Only the provider that took a backup can restore it.
        if snapshot.provider != ctx.state.provider_kind {
            return Err(AwsError::new(
                ErrorCode::InvalidDbSnapshotState,
                format!(
                    "DB snapshot {} was taken by the {} provider; this service runs the {} provider",
                    snapshot.identifier, snapshot.provider, ctx.state.provider_kind
                ),
            )
            .into());
        }
        let major = snapshot
            .engine_version
            .split('.')
            .next()
            .unwrap_or_default();
        if let Some(name) = input
            .parameter_group
            .as_deref()
            .filter(|n| *n != default_parameter_group(major))
        {
            return Err(parameter_group_not_found(name).into());
        }
        let spec = snapshot.restore_spec(
            ResourceId::generate(),
            input.class.as_ref().map(|c| c.name),
            port,
        )?;
        let new = NewInstance {
            identifier: input.identifier,
            spec,
            deletion_protection: input.deletion_protection,
            backup_retention_days: 1,
            copy_tags_to_snapshot: input.copy_tags_to_snapshot,
            tags: input.tags.into_iter().map(Into::into).collect(),
        };
        let row = provision::record(ctx.state, conn, &new, Some(snapshot.id))?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })?;
    Ok(RestoreDbInstanceFromDbSnapshotOutput { instance })
}
