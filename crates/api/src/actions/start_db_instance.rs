//! `StartDBInstance`: a stopped instance starts again.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstance.html>

use super::state_change::{self, Change};
use super::Ctx;
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::actions::start_db_instance::{StartDbInstanceInput, StartDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: StartDbInstanceInput,
) -> Result<StartDbInstanceOutput, ApiError> {
    let change = Change {
        to: InstanceStatus::Starting,
        job: JobKind::Start,
        event: "DB instance is being started",
        check: state_change::no_check,
    };
    let instance = state_change::apply(ctx, conn, &input.identifier, change)?;
    Ok(StartDbInstanceOutput { instance })
}
