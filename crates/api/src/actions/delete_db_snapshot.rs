//! `DeleteDBSnapshot`: an available (or failed) manual snapshot becomes `deleting`; the worker
//! removes its backup, unless a copy still shares it, then the row.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSnapshot.html>

use super::Ctx;
use crate::error::ApiError;
use crate::snapshot_view;
use cornac_inventory::{Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Operation};
use cornac_wire::actions::delete_db_snapshot::{DeleteDbSnapshotInput, DeleteDbSnapshotOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DeleteDbSnapshotInput,
) -> Result<DeleteDbSnapshotOutput, ApiError> {
    let snapshot = conn.transaction(|conn| {
        let row = snapshot_view::find(conn, ctx.account_id, &input.snapshot)?;
        lifecycle::apply_snapshot(conn, row.id, Operation::DeleteSnapshot, None)?;
        snapshot_view::by_identifier(ctx.scope(), conn, &row.identifier)
    })?;
    Ok(DeleteDbSnapshotOutput { snapshot })
}
