//! `RestoreDBInstanceFromDBSnapshot`: a new instance, `creating`, with the snapshot's engine
//! version, storage, database and master user (its password verifier too: the snapshot's
//! master password); its create job restores the snapshot's backup through the provider
//! (`Provider::restore` with `RestorePoint::Backup`). Quotas are those of a create.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html>

use super::Ctx;
use crate::error::ApiError;
use crate::{provision, restore_options, snapshot_view, view};
use cornac_domain::ResourceId;
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::restore_db_instance_from_db_snapshot::{
    RestoreDbInstanceFromDbSnapshotInput, RestoreDbInstanceFromDbSnapshotOutput,
};
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RestoreDbInstanceFromDbSnapshotInput,
) -> Result<RestoreDbInstanceFromDbSnapshotOutput, ApiError> {
    let instance = conn.transaction(|conn| {
        let snapshot = snapshot_view::find(conn, ctx.account_id, &input.snapshot)?;
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
        let new = restore_options::new_instance(
            ctx.state,
            input.identifier,
            input.options,
            1,
            |class, port| snapshot.restore_spec(ResourceId::generate(), class, port),
        )?;
        let source = provision::Source::Snapshot(snapshot.id);
        let row = provision::record(ctx.state, ctx.account_id, conn, &new, source)?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })?;
    Ok(RestoreDbInstanceFromDbSnapshotOutput { instance })
}
