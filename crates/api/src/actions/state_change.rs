//! What Start, Stop, Reboot and Delete share: find the instance and apply the lifecycle's
//! operation to it (status, event and job together; a refusal is `InvalidDBInstanceState`); the
//! instance as it then is, for the action's output.

use super::Ctx;
use crate::error::ApiError;
use crate::view;
use cornac_domain::InstanceIdentifier;
use cornac_inventory::{Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_wire::shapes;

pub fn apply(
    ctx: &Ctx,
    conn: &mut PgConnection,
    identifier: &InstanceIdentifier,
    operation: Operation,
) -> Result<shapes::DbInstance, ApiError> {
    conn.transaction(|conn| {
        let row = view::find(conn, "DBInstanceIdentifier", identifier)?;
        let row = lifecycle::change(conn, row.id, operation, Extra::default())?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })
}
