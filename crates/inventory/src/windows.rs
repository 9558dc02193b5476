//! The restorable window of each instance (`earliest_restorable_time`,
//! `latest_restorable_time`): written by the worker's window refresh from the provider, read by
//! `DescribeDBInstances` (`LatestRestorableTime`) and `RestoreDBInstanceToPointInTime`, so
//! neither asks the provider; and the same window of each retained automated backup.

use crate::schema::{db_instances, retained_backups};
use crate::Result;
use cornac_domain::{ProviderKind, RestorableWindow};
use diesel::prelude::*;

/// The window two columns hold (none unless both are set).
pub(crate) fn of(
    earliest: Option<chrono::DateTime<chrono::Utc>>,
    latest: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<RestorableWindow> {
    let (earliest, latest) = earliest.zip(latest)?;
    Some(RestorableWindow { earliest, latest })
}

/// The instances of `provider` that keep backups (`BackupRetentionPeriod` > 0), system ones
/// aside: their row ids and resource ids.
pub fn with_backups(conn: &mut PgConnection, provider: ProviderKind) -> Result<Vec<(i64, String)>> {
    Ok(db_instances::table
        .filter(db_instances::provider.eq(provider))
        .filter(db_instances::system.eq(false))
        .filter(db_instances::backup_retention_period.gt(0))
        .order(db_instances::id.asc())
        .select((db_instances::id, db_instances::resource_id))
        .load(conn)?)
}

/// The update both tables' windows take (their columns have the same names).
macro_rules! set_in {
    ($table:ident, $conn:expr, $id:expr, $window:expr) => {{
        let (earliest, latest) = ($window.map(|w| w.earliest), $window.map(|w| w.latest));
        let changed = diesel::update(
            $table::table.find($id).filter(
                $table::earliest_restorable_time
                    .is_distinct_from(earliest)
                    .or($table::latest_restorable_time.is_distinct_from(latest)),
            ),
        )
        .set((
            $table::earliest_restorable_time.eq(earliest),
            $table::latest_restorable_time.eq(latest),
        ))
        .execute($conn)?;
        Ok(changed > 0)
    }};
}

/// Record the window of the instance `id` (`None`: it has none); a row whose window is already
/// this one is not written again.
pub fn set(conn: &mut PgConnection, id: i64, window: Option<RestorableWindow>) -> Result<bool> {
    set_in!(db_instances, conn, id, window)
}

/// Record the window of the retained backup `id`, as [`set`] does an instance's.
pub fn set_retained(
    conn: &mut PgConnection,
    id: i64,
    window: Option<RestorableWindow>,
) -> Result<bool> {
    set_in!(retained_backups, conn, id, window)
}

/// Clear the window of every instance of `provider` whose backups are off; how many changed.
pub fn clear_without_backups(conn: &mut PgConnection, provider: ProviderKind) -> Result<usize> {
    Ok(diesel::update(
        db_instances::table
            .filter(db_instances::provider.eq(provider))
            .filter(db_instances::backup_retention_period.eq(0))
            .filter(db_instances::latest_restorable_time.is_not_null()),
    )
    .set((
        db_instances::earliest_restorable_time.eq(None::<chrono::DateTime<chrono::Utc>>),
        db_instances::latest_restorable_time.eq(None::<chrono::DateTime<chrono::Utc>>),
    ))
    .execute(conn)?)
}
