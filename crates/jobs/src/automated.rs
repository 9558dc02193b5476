//! The automated backup schedule, run on the worker's reconcile tick (one worker at a time):
//! an instance that keeps backups (`BackupRetentionPeriod` > 0) and is `available` gets an
//! automated snapshot `rds:<instance>-YYYY-MM-DD-HH-MM` when it has none yet (right after its
//! create or restore, or backups turned on), and one a day inside its `PreferredBackupWindow`;
//! the snapshot row and its job are one lifecycle transaction, so a crash leaves both or
//! neither. Automated snapshots past the retention period expire (through the
//! `delete_snapshot` job), except the newest of those, the base the point-in-time window still
//! restores from; with retention 0, or once their instance is deleted, they all go, unless
//! the delete retained them: then each goes once past the retention, with no base kept (no
//! new backup comes), and the retained backup itself once none is left; none of a retained
//! backup's snapshots goes while a restore from it is being made.

use crate::alone::alone;
use crate::lifecycle::{self, Extra, NewSnapshotArgs, Operation};
use crate::queue;
use crate::step::JobError;
use chrono::{DateTime, TimeDelta, Utc};
use cornac_domain::{
    BackupWindow, InstanceIdentifier, InstanceStatus, ProviderKind, SnapshotIdentifier,
    SnapshotStatus, SnapshotType,
};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::retained::{self, RetainedBackup};
use cornac_inventory::snapshots::{self, DbSnapshot};
use cornac_inventory::PgConnection;

/// Only one schedule at a time, across every worker of the inventory.
const LOCK_KEY: i64 = 0x636f_726e_6162;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub taken: usize,
    pub expired: usize,
}

/// One pass at `now` over the instances of `kind` and their automated snapshots.
pub fn tick(
    conn: &mut PgConnection,
    kind: ProviderKind,
    now: DateTime<Utc>,
) -> Result<Report, JobError> {
    Ok(alone(conn, LOCK_KEY, |conn| pass(conn, kind, now))?.unwrap_or_default())
}

fn pass(
    conn: &mut PgConnection,
    kind: ProviderKind,
    now: DateTime<Utc>,
) -> Result<Report, JobError> {
    let mut report = Report::default();
    let rows: Vec<DbInstance> = instances::all_of(conn, kind)?
        .into_iter()
        .filter(|r| !r.system)
        .collect();
    let automated: Vec<DbSnapshot> = snapshots::automated(conn)?
        .into_iter()
        .filter(|s| s.provider == kind)
        .collect();
    for row in &rows {
        let mine: Vec<&DbSnapshot> = automated
            .iter()
            .filter(|s| s.source_instance_id == row.id)
            .collect();
        if !due(row, &mine, now) {
            continue;
        }
        match take(conn, row, now) {
            Ok(()) => report.taken += 1,
            Err(e) => {
                tracing::warn!(instance = %row.identifier, error = %e, "could not start an automated backup")
            }
        }
    }
    let kept: Vec<RetainedBackup> = retained::all(conn)?
        .into_iter()
        .filter(|r| r.provider == kind)
        .collect();
    for gone in kept.iter().filter(|r| {
        !automated
            .iter()
            .any(|s| s.source_instance_id == r.source_instance_id)
    }) {
        match lifecycle::apply_retained(conn, gone.id, Operation::ExpireRetainedBackup) {
            Ok(_) => report.expired += 1,
            Err(e) => {
                tracing::warn!(instance = %gone.instance_identifier, error = %e, "could not expire retained automated backups")
            }
        }
    }
    // A retained backup a restore is reading keeps its snapshots until the restore is done.
    let mut restoring = Vec::new();
    for r in &kept {
        if retained::restoring_from(conn, &r.dbi_resource_id)? {
            restoring.push(r.source_instance_id);
        }
    }
    for snapshot in expired(&rows, &kept, &automated, now) {
        if restoring.contains(&snapshot.source_instance_id)
            || (snapshot.status == SnapshotStatus::Creating
                && queue::has_pending_snapshot(conn, snapshot.id)?)
        {
            continue;
        }
        match lifecycle::apply_snapshot(conn, snapshot.id, Operation::ExpireSnapshot, None) {
            Ok(_) => report.expired += 1,
            Err(e) => {
                tracing::warn!(snapshot = %snapshot.identifier, error = %e, "could not expire an automated snapshot")
            }
        }
    }
    Ok(report)
}

/// Whether `row` is due an automated snapshot at `now`, given its automated snapshots `mine`:
/// none yet (the first, after a create or restore), or none since its window began while
/// `now` is inside it; never while one is still being taken.
pub fn due(row: &DbInstance, mine: &[&DbSnapshot], now: DateTime<Utc>) -> bool {
    if row.backup_retention_period <= 0 || row.status != InstanceStatus::Available {
        return false;
    }
    if mine.iter().any(|s| s.status == SnapshotStatus::Creating) {
        return false;
    }
    if mine.is_empty() {
        return true;
    }
    let window = BackupWindow::parse(&row.preferred_backup_window).unwrap_or(BackupWindow::DEFAULT);
    let since = window.last_start(now);
    window.contains(now) && !mine.iter().any(|s| s.snapshot_create_time >= since)
}

/// The automated snapshots (`automated`, each instance's newest first) that expire at `now`:
/// of an instance gone or with retention 0, all; otherwise those taken before the retention
/// period began, but for the newest available one of them (the point-in-time window's base).
/// Those of a deleted instance whose backups are retained (`kept`) go one by one, each once
/// past the retention the instance had, with no base kept.
pub fn expired<'a>(
    rows: &[DbInstance],
    kept: &[RetainedBackup],
    automated: &'a [DbSnapshot],
    now: DateTime<Utc>,
) -> Vec<&'a DbSnapshot> {
    let mut out = Vec::new();
    let mut kept_base: Vec<i64> = Vec::new();
    for snapshot in automated {
        let owner = rows.iter().find(|r| r.id == snapshot.source_instance_id);
        let retained = kept
            .iter()
            .find(|r| r.source_instance_id == snapshot.source_instance_id);
        let retention = owner.map_or(0, |r| r.backup_retention_period);
        if snapshot.status == SnapshotStatus::Deleting {
            continue;
        }
        if let (None, Some(retained)) = (owner, retained) {
            let start = now - TimeDelta::days(i64::from(retained.backup_retention_period));
            if snapshot.snapshot_create_time < start || snapshot.status != SnapshotStatus::Available
            {
                out.push(snapshot);
            }
            continue;
        }
        if retention <= 0 {
            // A snapshot being taken waits for its job while its instance lives.
            if owner.is_none() || snapshot.status != SnapshotStatus::Creating {
                out.push(snapshot);
            }
            continue;
        }
        let start = now - TimeDelta::days(i64::from(retention));
        if snapshot.snapshot_create_time >= start || snapshot.status == SnapshotStatus::Creating {
            continue;
        }
        let instance = snapshot.source_instance_id;
        if snapshot.status == SnapshotStatus::Available && !kept_base.contains(&instance) {
            kept_base.push(instance);
            continue;
        }
        out.push(snapshot);
    }
    out
}

/// Record `row`'s automated snapshot of `now`, with its job.
fn take(conn: &mut PgConnection, row: &DbInstance, now: DateTime<Utc>) -> Result<(), JobError> {
    let instance = InstanceIdentifier::parse(&row.identifier)
        .map_err(|e| JobError::Permanent(e.to_string()))?;
    let identifier = SnapshotIdentifier::automated(&instance, now);
    let arn = identifier
        .arn_beside(&row.arn)
        .ok_or_else(|| JobError::Permanent(format!("{} is not an instance ARN", row.arn)))?;
    let args = NewSnapshotArgs {
        identifier,
        arn,
        snapshot_type: SnapshotType::Automated,
        tags: Vec::new(),
        taken_at: Some(now),
    };
    let extra = Extra {
        new_snapshot: Some(&args),
        ..Extra::default()
    };
    lifecycle::change(conn, row.id, Operation::AutomatedSnapshot, extra)?;
    Ok(())
}
