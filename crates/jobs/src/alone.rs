//! Work that one worker at a time does for the whole inventory (the reconciler, the window
//! refresh): under a session advisory lock, tried and never waited for, so a worker that finds
//! another at it skips its turn.

use crate::step::JobError;
use cornac_inventory::PgConnection;
use diesel::sql_types::Bool;
use diesel::RunQueryDsl;

/// Run `work` under the advisory lock `key`; `None` (nothing done) when another session holds
/// it. The lock is let go whatever `work` returns.
pub fn alone<T>(
    conn: &mut PgConnection,
    key: i64,
    work: impl FnOnce(&mut PgConnection) -> Result<T, JobError>,
) -> Result<Option<T>, JobError> {
    let locked: bool = diesel::select(diesel::dsl::sql::<Bool>(&format!(
        "pg_try_advisory_lock({key})"
    )))
    .get_result(conn)?;
    if !locked {
        return Ok(None);
    }
    let outcome = work(conn);
    diesel::select(diesel::dsl::sql::<Bool>(&format!(
        "pg_advisory_unlock({key})"
    )))
    .get_result::<bool>(conn)?;
    outcome.map(Some)
}
