//! `StopDBInstance`: an available instance stops (its Postgres really stops); with
//! `DBSnapshotIdentifier`, the stop job backs it up first.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::{snapshot_quota, state_change, Ctx};
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::stop_db_instance::{StopDbInstanceInput, StopDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: StopDbInstanceInput,
) -> Result<StopDbInstanceOutput, ApiError> {
    let instance = match input.snapshot {
        None => state_change::apply(ctx, conn, &input.identifier, Operation::Stop)?,
        Some(snapshot) => state_change::apply_with_snapshot(
            ctx,
            conn,
            &input.identifier,
            Operation::StopWithSnapshot,
            |conn| snapshot_quota::reserve(ctx, conn, snapshot, Vec::new()),
        )?,
    };
    Ok(StopDbInstanceOutput { instance })
}
