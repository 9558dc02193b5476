//! The restorable window refresh, on a worker tick of its own (`worker.window_secs`), one
//! worker at a time: for every instance that keeps backups, the window its provider can
//! restore to (`Provider::restorable_window`) goes into the inventory
//! (`earliest_restorable_time`, `latest_restorable_time`), where `DescribeDBInstances` and
//! `RestoreDBInstanceToPointInTime` read it; an instance whose backups are off has none. The
//! retained automated backups of deleted instances are read the same way (their repository
//! outlives the instance), as their window shrinks with each expired snapshot.

use crate::alone::alone;
use crate::step::JobError;
use cornac_domain::{Provider, ResourceId, RestorableWindow};
use cornac_inventory::{retained, windows, PgConnection};

/// Only one refresh at a time, across every worker (`cornac` and a `w`).
const LOCK_KEY: i64 = 0x0063_6f72_6e61_6377;

/// How a window is written: an instance's, or a retained backup's.
type Write = fn(&mut PgConnection, i64, Option<RestorableWindow>) -> cornac_inventory::Result<bool>;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Windows written (new, moved, or gone).
    pub changed: usize,
    /// Windows cleared because the instance's backups are off.
    pub cleared: usize,
    /// Instances whose provider could not tell (they keep the window last read).
    pub failed: usize,
}

pub fn refresh(conn: &mut PgConnection, provider: &dyn Provider) -> Result<Report, JobError> {
    Ok(alone(conn, LOCK_KEY, |conn| pass(conn, provider))?.unwrap_or_default())
}

fn pass(conn: &mut PgConnection, provider: &dyn Provider) -> Result<Report, JobError> {
    let mut report = Report {
        cleared: windows::clear_without_backups(conn, provider.kind())?,
        ..Report::default()
    };
    // A provider that cannot restore to a point in time has no window to show.
    if !provider.point_in_time() {
        return Ok(report);
    }
    let live = windows::with_backups(conn, provider.kind())?;
    let kept = retained::of_provider(conn, provider.kind())?;
    let tables: [(Vec<(i64, String)>, Write); 2] =
        [(live, windows::set), (kept, windows::set_retained)];
    for (rows, write) in tables {
        for (id, resource_id) in rows {
            let window = ResourceId::parse(&resource_id)
                .map_err(|e| e.to_string())
                .and_then(|rid| provider.restorable_window(&rid).map_err(|e| e.to_string()));
            match window {
                Ok(window) => report.changed += usize::from(write(conn, id, window)?),
                Err(error) => {
                    tracing::warn!(resource = %resource_id, %error, "cannot read the restorable window");
                    report.failed += 1;
                }
            }
        }
    }
    Ok(report)
}
