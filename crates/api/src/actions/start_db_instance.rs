//! `StartDBInstance`: a stopped instance starts again.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstance.html>

use super::state_change;
use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::start_db_instance::{StartDbInstanceInput, StartDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: StartDbInstanceInput,
) -> Result<StartDbInstanceOutput, ApiError> {
    let instance = state_change::apply(ctx, conn, &input.identifier, Operation::Start)?;
    Ok(StartDbInstanceOutput { instance })
}
