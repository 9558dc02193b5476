//! `StopDBInstance`: an available instance stops (its Postgres really stops).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::state_change;
use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::stop_db_instance::{StopDbInstanceInput, StopDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: StopDbInstanceInput,
) -> Result<StopDbInstanceOutput, ApiError> {
    let instance = state_change::apply(ctx, conn, &input.identifier, Operation::Stop)?;
    Ok(StopDbInstanceOutput { instance })
}
