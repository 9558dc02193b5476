//! Applying the table to retained automated backups: keeping an instance's when its delete
//! finishes (`RetainBackups`, inside that transaction), and removing one (a user's
//! `DeleteRetainedBackup`, which expires its snapshots through the existing delete path, or the
//! schedule's `ExpireRetainedBackup` once none is left). Their events are about the deleted
//! instance (its identifier and ARN), as RDS reports them.

use super::{Error, From, Operation, Rule};
use cornac_domain::{SnapshotStatus, SourceType};
use cornac_inventory::instances::DbInstance;
use cornac_inventory::retained::{self, RetainedBackup};
use cornac_inventory::{events, snapshots, Connection, PgConnection};

/// `RetainBackups`: keep the automated backups of `row`, whose delete is finishing, when it
/// keeps backups and has an available automated snapshot (else nothing is left to restore,
/// and its automated snapshots expire as they do without retention).
pub(super) fn keep(conn: &mut PgConnection, row: &DbInstance) -> Result<(), Error> {
    let rule = Operation::RetainBackups.rule();
    let From::Statuses(from) = rule.from else {
        return Err(Error::Corrupt(format!("{} acts on an instance", rule.name)));
    };
    if !from.contains(&row.status) {
        return Err(Error::Refused {
            identifier: row.identifier.clone(),
            status: row.status,
            operation: rule.name,
        });
    }
    if row.backup_retention_period <= 0
        || retained::with_available_backup(conn, &[row.id])?.is_empty()
    {
        return Ok(());
    }
    let kept = retained::insert(conn, row)?;
    record(conn, &kept, rule)
}

/// Apply `operation`, one on a retained backup, to the retained backup `id` (which goes).
pub fn apply_retained(
    conn: &mut PgConnection,
    id: i64,
    operation: Operation,
) -> Result<RetainedBackup, Error> {
    let rule = operation.rule();
    if rule.from != From::Retained {
        return Err(Error::Corrupt(format!(
            "{} does not act on a retained backup",
            rule.name
        )));
    }
    conn.transaction(|conn| {
        let row = retained::lock(conn, id)?.ok_or(Error::RetainedGone)?;
        let mine = snapshots::automated_of(conn, row.source_instance_id)?;
        match operation {
            Operation::DeleteRetainedBackup => {
                if retained::restoring_from(conn, &row.dbi_resource_id)? {
                    return Err(Error::RetainedInUse {
                        identifier: row.instance_identifier,
                        operation: rule.name,
                    });
                }
                for snapshot in mine.iter().filter(|s| s.status != SnapshotStatus::Deleting) {
                    super::apply_snapshot(conn, snapshot.id, Operation::ExpireSnapshot, None)?;
                }
            }
            Operation::ExpireRetainedBackup if mine.is_empty() => {}
            _ => {
                return Err(Error::Corrupt(format!(
                    "{} refused: the automated backups of {} still hold snapshots",
                    rule.name, row.instance_identifier
                )))
            }
        }
        record(conn, &row, rule)?;
        retained::delete(conn, id)?;
        Ok(row)
    })
}

/// The event of `rule` about the retained backup `row` (its instance's names).
fn record(conn: &mut PgConnection, row: &RetainedBackup, rule: Rule) -> Result<(), Error> {
    events::record(
        conn,
        &row.account_id,
        SourceType::DbInstance,
        &row.instance_identifier,
        &row.instance_arn,
        rule.category,
        rule.message,
    )?;
    Ok(())
}
