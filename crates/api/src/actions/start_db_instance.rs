//! `StartDBInstance`: a stopped instance starts again.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstance.html>

use super::state_change::{self, Change};
use super::{Ctx, Reply};
use crate::error::ApiError;
use cornac_domain::InstanceStatus;
use cornac_inventory::PgConnection;
use cornac_jobs::JobKind;
use cornac_wire::Params;

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let identifier = params.required("DBInstanceIdentifier")?;
    let change = Change {
        to: InstanceStatus::Starting,
        job: JobKind::Start,
        event: "DB instance is being started",
        check: state_change::no_check,
    };
    state_change::apply(ctx, conn, identifier, change)
}
