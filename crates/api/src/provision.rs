//! Recording a new instance, shared by `CreateDBInstance`, `RestoreDBInstanceFromDBSnapshot`
//! and the postgraas API: quotas (counted
//! and the row inserted under one lock, so concurrent creates never pass them together), then
//! the lifecycle's create (the row as `creating`, its tags, an event and the create job), inside
//! the caller's transaction.

use crate::error::ApiError;
use crate::AppState;
use cornac_domain::NewInstance;
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle;
use cornac_wire::{AwsError, ErrorCode};

/// Record `new` (restored from the snapshot `source`, when given).
pub fn record(
    state: &AppState,
    conn: &mut PgConnection,
    new: &NewInstance,
    source: Option<i64>,
) -> Result<DbInstance, ApiError> {
    instances::lock_names_and_quotas(conn)?;
    let (count, used) = instances::usage(conn)?;
    if count >= state.quotas.max_instances {
        return Err(AwsError::new(
            ErrorCode::InstanceQuotaExceeded,
            "The DB instance quota has been reached.",
        )
        .into());
    }
    if used.saturating_add(i64::from(new.spec.allocated_storage_gib)) > state.quotas.max_storage_gib
    {
        return Err(AwsError::new(
            ErrorCode::StorageQuotaExceeded,
            "The allocated storage quota has been reached.",
        )
        .into());
    }
    let arn = new.identifier.arn(&state.region, &state.account_id);
    Ok(match source {
        Some(snapshot) => lifecycle::restore(conn, new, &arn, state.provider_kind, snapshot)?,
        None => lifecycle::create(conn, new, &arn, state.provider_kind)?,
    })
}
