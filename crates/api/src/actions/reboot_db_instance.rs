//! `RebootDBInstance`: restart an available instance's Postgres.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html>

use super::state_change;
use super::Ctx;
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle::Operation;
use cornac_wire::actions::reboot_db_instance::{RebootDbInstanceInput, RebootDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RebootDbInstanceInput,
) -> Result<RebootDbInstanceOutput, ApiError> {
    let instance = state_change::apply(ctx, conn, &input.identifier, Operation::Reboot)?;
    Ok(RebootDbInstanceOutput { instance })
}
