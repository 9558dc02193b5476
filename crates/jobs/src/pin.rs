//! A restore to the latest restorable time is pinned when its create job first runs: the
//! latest time the source's window holds then goes into the row as the restore's time, before
//! anything is restored, so a retry after a crash restores to that same point, not to whatever
//! is latest by then.

use crate::handlers::permanent;
use crate::step::{connection, JobError};
use cornac_domain::{Provider, RestorePoint, RestoreSource};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::Pool;

/// What `row`'s create job restores, its latest pinned to a time; `None` for an instance
/// created empty.
pub fn restore_source(
    inventory: &Pool,
    provider: &dyn Provider,
    row: &DbInstance,
) -> Result<Option<RestoreSource>, JobError> {
    let source = row.restore_source().map_err(permanent)?;
    let Some(RestoreSource {
        instance,
        point: RestorePoint::Latest,
    }) = &source
    else {
        return Ok(source);
    };
    let window = provider.restorable_window(instance)?.ok_or_else(|| {
        JobError::Permanent(format!(
            "the backups of {instance} have no restorable time left to restore the latest of"
        ))
    })?;
    // Never later than now: a window may end up to a second past its last backup's end (whole
    // seconds, rounded up), and a retry's time target past every commit would never be reached.
    let latest = window.latest.min(chrono::Utc::now()).max(window.earliest);
    let pinned = instances::pin_restore_time(&mut *connection(inventory)?, row.id, latest)?
        .ok_or_else(|| JobError::Permanent(format!("{} is gone", row.identifier)))?;
    pinned.restore_source().map_err(permanent)
}
