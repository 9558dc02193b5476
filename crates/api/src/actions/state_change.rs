//! What Start, Stop, Reboot and Delete share: find the instance and apply the lifecycle's
//! operation to it (status, event and job together; a refusal is `InvalidDBInstanceState`), with
//! the snapshot it takes first, for a stop or delete that asks for one; the instance as it then
//! is, for the action's output.

use super::Ctx;
use crate::error::ApiError;
use crate::view;
use cornac_domain::InstanceIdentifier;
use cornac_inventory::instances::Changes;
use cornac_inventory::{Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Extra, NewSnapshotArgs, Operation};
use cornac_wire::shapes;

pub fn apply(
    ctx: &Ctx,
    conn: &mut PgConnection,
    identifier: &InstanceIdentifier,
    operation: Operation,
) -> Result<shapes::DbInstance, ApiError> {
    run(ctx, conn, identifier, operation, None, |_| Ok(None))
}

/// `operation` with `changes` made to the row in the same transaction (a delete's choice of
/// keeping the automated backups), and the snapshot `reserve` checks and names, if any.
pub fn apply_changing(
    ctx: &Ctx,
    conn: &mut PgConnection,
    identifier: &InstanceIdentifier,
    operation: Operation,
    changes: &Changes,
    reserve: impl FnOnce(&mut PgConnection) -> Result<Option<NewSnapshotArgs>, ApiError>,
) -> Result<shapes::DbInstance, ApiError> {
    run(ctx, conn, identifier, operation, Some(changes), reserve)
}

/// `operation` with the snapshot `reserve` checks and names (after the instance is found).
pub fn apply_with_snapshot(
    ctx: &Ctx,
    conn: &mut PgConnection,
    identifier: &InstanceIdentifier,
    operation: Operation,
    reserve: impl FnOnce(&mut PgConnection) -> Result<NewSnapshotArgs, ApiError>,
) -> Result<shapes::DbInstance, ApiError> {
    run(ctx, conn, identifier, operation, None, |conn| {
        reserve(conn).map(Some)
    })
}

fn run(
    ctx: &Ctx,
    conn: &mut PgConnection,
    identifier: &InstanceIdentifier,
    operation: Operation,
    changes: Option<&Changes>,
    snapshot: impl FnOnce(&mut PgConnection) -> Result<Option<NewSnapshotArgs>, ApiError>,
) -> Result<shapes::DbInstance, ApiError> {
    conn.transaction(|conn| {
        let row = view::find(conn, ctx.account_id, "DBInstanceIdentifier", identifier)?;
        let args = snapshot(conn)?;
        let extra = Extra {
            new_snapshot: args.as_ref(),
            changes,
            ..Extra::default()
        };
        let row = lifecycle::change(conn, row.id, operation, extra)?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })
}
