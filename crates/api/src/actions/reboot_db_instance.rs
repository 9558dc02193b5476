//! `RebootDBInstance`: restart an available instance's Postgres.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html>

use super::state_change::{self, Change};
use super::{Ctx, Reply};
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let identifier = params.required("DBInstanceIdentifier")?;
    if params.bool("ForceFailover")? == Some(true) {
        return Err(AwsError::combination(
            "ForceFailover needs a Multi-AZ instance; this one is not.",
        )
        .into());
    }
    let change = Change {
        to: InstanceStatus::Rebooting,
        job: JobKind::Reboot,
        event: "DB instance is being rebooted",
        check: state_change::no_check,
    };
    state_change::apply(ctx, conn, identifier, change)
}
