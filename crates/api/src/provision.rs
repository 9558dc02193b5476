//! Recording a new instance, shared by `CreateDBInstance`, both restores and the postgraas
//! API: quotas (counted
//! and the row inserted under one lock, so concurrent creates never pass them together), then
//! the lifecycle's create (the row as `creating`, its tags, an event and the create job), inside
//! the caller's transaction.

use crate::error::ApiError;
use crate::AppState;
use cornac_domain::{NewInstance, RestoreSource};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::PgConnection;
use cornac_jobs::lifecycle;
use cornac_wire::{AwsError, ErrorCode};

/// Where a new instance's data comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// None: a new, empty instance.
    Empty,
    /// The backup of this snapshot (by row id).
    Snapshot(i64),
    /// A point of another instance's backups, and how the event names it.
    Point(&'a RestoreSource, &'a str),
}

/// Record `new` as an instance of `account`, with the data `source` names, within that
/// account's quotas.
pub fn record(
    state: &AppState,
    account: &str,
    conn: &mut PgConnection,
    new: &NewInstance,
    source: Source<'_>,
) -> Result<DbInstance, ApiError> {
    instances::lock_names_and_quotas(conn)?;
    let (count, used) = instances::usage(conn, account)?;
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
    let arn = new.identifier.arn(&state.region, account);
    let provider = state.provider_kind;
    Ok(match source {
        Source::Empty => lifecycle::create(conn, new, account, &arn, provider)?,
        Source::Snapshot(snapshot) => {
            lifecycle::restore(conn, new, account, &arn, provider, snapshot)?
        }
        Source::Point(point, described) => {
            lifecycle::restore_to_point(conn, new, account, &arn, provider, point, described)?
        }
    })
}
