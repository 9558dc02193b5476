//! `StopDBInstance`: an available instance stops (its Postgres really stops).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::state_change::{self, Change};
use super::{Ctx, Reply};
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let identifier = params.required("DBInstanceIdentifier")?;
    if params.get("DBSnapshotIdentifier").is_some() {
        return Err(
            AwsError::invalid("DBSnapshotIdentifier", "snapshots are not supported").into(),
        );
    }
    let change = Change {
        to: InstanceStatus::Stopping,
        job: JobKind::Stop,
        event: "DB instance is being stopped",
        check: state_change::no_check,
    };
    state_change::apply(ctx, conn, identifier, change)
}
