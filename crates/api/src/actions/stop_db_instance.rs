//! `StopDBInstance`: an available instance stops (its Postgres really stops).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::state_change::{self, Change};
use super::Ctx;
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::actions::stop_db_instance::{StopDbInstanceInput, StopDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: StopDbInstanceInput,
) -> Result<StopDbInstanceOutput, ApiError> {
    let change = Change {
        to: InstanceStatus::Stopping,
        job: JobKind::Stop,
        event: "DB instance is being stopped",
        check: state_change::no_check,
    };
    let instance = state_change::apply(ctx, conn, &input.identifier, change)?;
    Ok(StopDbInstanceOutput { instance })
}
