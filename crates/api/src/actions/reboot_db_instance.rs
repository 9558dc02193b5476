//! `RebootDBInstance`: restart an available instance's Postgres.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html>

use super::state_change::{self, Change};
use super::Ctx;
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::actions::reboot_db_instance::{RebootDbInstanceInput, RebootDbInstanceOutput};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RebootDbInstanceInput,
) -> Result<RebootDbInstanceOutput, ApiError> {
    let change = Change {
        to: InstanceStatus::Rebooting,
        job: JobKind::Reboot,
        event: "DB instance is being rebooted",
        check: state_change::no_check,
    };
    let instance = state_change::apply(ctx, conn, &input.identifier, change)?;
    Ok(RebootDbInstanceOutput { instance })
}
