//! Applying the table to a snapshot: the operations on a snapshot alone (delete, its finish and
//! failure, resume, copy), and the checks and moves the instance operations share.

use super::{snapshot_event, Error, From, Operation, Queue, Rule, Snap, SnapTo};
use crate::{queue, Job};
use cornac_domain::{EventCategory, SnapshotIdentifier, SnapshotStatus, SnapshotType, SourceType};
use cornac_inventory::snapshots::{self, DbSnapshot, NewSnapshot};
use cornac_inventory::{events, Connection, PgConnection};

/// The snapshot `id`, locked, if it is in one of `from`.
pub(super) fn check_snapshot(
    conn: &mut PgConnection,
    id: i64,
    from: &[SnapshotStatus],
    rule: Rule,
) -> Result<DbSnapshot, Error> {
    let row = snapshots::lock(conn, id)?.ok_or(Error::SnapshotGone)?;
    if !from.contains(&row.status) {
        return Err(Error::SnapshotRefused {
            identifier: row.identifier,
            status: row.status,
            operation: rule.name,
        });
    }
    Ok(row)
}

/// Move the snapshot `id` from one of `from` to `to`, with its event (`detail` follows a
/// failure's message).
pub(super) fn move_snapshot(
    conn: &mut PgConnection,
    id: i64,
    from: &[SnapshotStatus],
    to: SnapTo,
    rule: Rule,
    detail: &str,
) -> Result<Option<DbSnapshot>, Error> {
    let row = check_snapshot(conn, id, from, rule)?;
    let (category, message) = snapshot_event(to);
    let message = match to {
        SnapTo::Status(SnapshotStatus::Failed) => format!("{message}{detail}"),
        _ => message.to_owned(),
    };
    snapshot_record(conn, &row, category, &message)?;
    match to {
        SnapTo::Status(status) if status == row.status => Ok(Some(row)),
        SnapTo::Status(status) => Ok(Some(snapshots::set_status(conn, id, status)?)),
        SnapTo::Removed => {
            snapshots::delete(conn, id)?;
            Ok(None)
        }
    }
}

/// An event about the snapshot `row`.
pub(super) fn snapshot_record(
    conn: &mut PgConnection,
    row: &DbSnapshot,
    category: EventCategory,
    message: &str,
) -> Result<(), Error> {
    events::record(
        conn,
        &row.account_id,
        SourceType::DbSnapshot,
        &row.identifier,
        &row.arn,
        category,
        message,
    )?;
    Ok(())
}

/// Apply `operation`, one on a snapshot alone, to the snapshot `id`; `None` when it removed
/// the row. `detail` follows the table's message (a failure's error).
pub fn apply_snapshot(
    conn: &mut PgConnection,
    id: i64,
    operation: Operation,
    detail: Option<&str>,
) -> Result<Option<DbSnapshot>, Error> {
    let rule = operation.rule();
    let (From::SnapshotOnly, Snap::Moves(from, to)) = (rule.from, rule.snapshot) else {
        return Err(Error::Corrupt(format!(
            "{} does not act on a snapshot alone",
            rule.name
        )));
    };
    conn.transaction(|conn| {
        let row = check_snapshot(conn, id, from, rule)?;
        let instance_id = row.source_instance_id;
        match operation {
            Operation::DeleteSnapshot => refuse_delete(conn, &row, rule)?,
            // Only automated snapshots expire; a manual one is the user's to delete.
            Operation::ExpireSnapshot if row.snapshot_type != SnapshotType::Automated => {
                return Err(Error::SnapshotRefused {
                    identifier: row.identifier,
                    status: row.status,
                    operation: rule.name,
                })
            }
            _ => {}
        }
        let detail = detail.unwrap_or_default();
        let moved = match (operation, to) {
            // The table's own message is the snapshot's event for these.
            (Operation::ResumeSnapshot, _) => {
                snapshot_record(conn, &row, rule.category, rule.message)?;
                Some(row)
            }
            _ => move_snapshot(conn, id, from, to, rule, detail)?,
        };
        if let Queue::Kind(kind) = rule.queue {
            queue::enqueue(
                conn,
                Job {
                    kind,
                    instance_id,
                    snapshot_id: Some(id),
                },
            )?;
        }
        Ok(moved)
    })
}

/// What a user may not delete: an automated snapshot (its retention removes it), or the last
/// snapshot of a backup an instance is being restored from.
fn refuse_delete(conn: &mut PgConnection, row: &DbSnapshot, rule: Rule) -> Result<(), Error> {
    if row.snapshot_type == SnapshotType::Automated {
        return Err(Error::SnapshotRefused {
            identifier: row.identifier.clone(),
            status: row.status,
            operation: "Deleting an automated snapshot",
        });
    }
    if !snapshots::key_shared(conn, &row.backup_key, row.id)?
        && snapshots::key_restoring(conn, &row.backup_key)?
    {
        return Err(Error::SnapshotInUse {
            identifier: row.identifier.clone(),
            operation: rule.name,
        });
    }
    Ok(())
}

/// `CopyDBSnapshot`: a new manual snapshot `identifier` of the same backup as `source_id` (which
/// must be available), with `tags` (and the source's too when `copy_tags`). No data is copied:
/// a backup never changes once made, so both rows may name it, and it goes with the last.
pub fn copy_snapshot(
    conn: &mut PgConnection,
    source_id: i64,
    identifier: &SnapshotIdentifier,
    arn: String,
    tags: &[(String, String)],
) -> Result<DbSnapshot, Error> {
    let rule = Operation::CopySnapshot.rule();
    let Snap::Uses(from) = rule.snapshot else {
        return Err(Error::Corrupt(format!("{} uses no snapshot", rule.name)));
    };
    conn.transaction(|conn| {
        let source = check_snapshot(conn, source_id, from, rule)?;
        let new = NewSnapshot::copy(&source, identifier, arn);
        let copy = snapshots::insert(conn, &new, tags)?;
        let message = format!("{}{}", rule.message, source.identifier);
        snapshot_record(conn, &copy, rule.category, &message)?;
        Ok(copy)
    })
}
