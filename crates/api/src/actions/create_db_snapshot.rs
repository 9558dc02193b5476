//! `CreateDBSnapshot`: the instance (available) becomes `backing-up` and the snapshot
//! `creating`, in one transaction with their events and the snapshot job; the worker backs
//! the instance up and makes both `available`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html>

use super::{snapshot_quota, Ctx};
use crate::error::ApiError;
use crate::{snapshot_view, view};
use cornac_inventory::{Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_wire::actions::create_db_snapshot::{CreateDbSnapshotInput, CreateDbSnapshotOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: CreateDbSnapshotInput,
) -> Result<CreateDbSnapshotOutput, ApiError> {
    let snapshot = conn.transaction(|conn| {
        let row = view::find(
            conn,
            ctx.account_id,
            "DBInstanceIdentifier",
            &input.instance,
        )?;
        let args = snapshot_quota::reserve(ctx, conn, input.snapshot, input.tags)?;
        let extra = Extra {
            new_snapshot: Some(&args),
            ..Extra::default()
        };
        lifecycle::change(conn, row.id, Operation::Snapshot, extra)?;
        snapshot_view::by_identifier(ctx.scope(), conn, args.identifier.as_str())
    })?;
    Ok(CreateDbSnapshotOutput { snapshot })
}
