//! From rows to the `DBInstanceAutomatedBackup` shape: a live instance's automated backups
//! (`active`, or `creating` before its first automated snapshot is available) and a deleted
//! instance's retained ones (`retained`), described from the row that keeps them and their
//! newest available automated snapshot (which copies the instance as it was). A retained row
//! with no available snapshot left is not shown: nothing of it can be restored, and the
//! schedule removes it.

use crate::error::ApiError;
use crate::view::Scope;
use chrono::{DateTime, SecondsFormat, Utc};
use cornac_domain::{ResourceId, RestorableWindow, SnapshotStatus};
use cornac_inventory::instances::DbInstance;
use cornac_inventory::retained::{self, RetainedBackup};
use cornac_inventory::snapshots::{self, DbSnapshot};
use cornac_inventory::PgConnection;
use cornac_wire::automated_backup_shape::{DbInstanceAutomatedBackup, RestoreWindow};

/// A retained backup with the snapshot that describes (and restores) it.
#[derive(Debug)]
pub struct Retained {
    pub row: RetainedBackup,
    pub newest: DbSnapshot,
}

/// Every automated backup of the caller's account (`scope`), live instances' and retained
/// ones, by resource id.
pub fn all(
    scope: Scope,
    conn: &mut PgConnection,
) -> Result<Vec<DbInstanceAutomatedBackup>, ApiError> {
    let mut live = retained::keeping(conn)?;
    live.retain(|row| row.account_id == scope.account_id);
    let ids: Vec<i64> = live.iter().map(|r| r.id).collect();
    let backed = retained::with_available_backup(conn, &ids)?;
    let mut out: Vec<DbInstanceAutomatedBackup> = live
        .into_iter()
        .map(|row| {
            let status = if backed.contains(&row.id) {
                "active"
            } else {
                "creating"
            };
            active(scope, row, status)
        })
        .collect();
    let automated = snapshots::automated(conn)?;
    let mine = retained::all(conn)?
        .into_iter()
        .filter(|row| row.account_id == scope.account_id);
    for row in mine {
        if let Some(newest) = newest_available(&automated, row.source_instance_id) {
            let kept = Retained {
                row,
                newest: newest.clone(),
            };
            out.push(retained_shape(scope, &kept, "retained"));
        }
    }
    out.sort_by(|a, b| a.dbi_resource_id.cmp(&b.dbi_resource_id));
    Ok(out)
}

/// `account`'s retained backup of the deleted instance `resource_id`, when it can still
/// restore.
pub fn find_retained(
    conn: &mut PgConnection,
    account: &str,
    resource_id: &ResourceId,
) -> Result<Option<Retained>, ApiError> {
    let found = retained::find(conn, resource_id.as_str())?.filter(|row| row.account_id == account);
    let Some(row) = found else {
        return Ok(None);
    };
    let automated = snapshots::automated_of(conn, row.source_instance_id)?;
    Ok(newest_available(&automated, row.source_instance_id)
        .cloned()
        .map(|newest| Retained { row, newest }))
}

/// Of `automated` (each instance's newest first), the newest available of `instance_id`.
fn newest_available(automated: &[DbSnapshot], instance_id: i64) -> Option<&DbSnapshot> {
    automated
        .iter()
        .find(|s| s.source_instance_id == instance_id && s.status == SnapshotStatus::Available)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn window(window: Option<RestorableWindow>) -> Option<RestoreWindow> {
    window.map(|w| RestoreWindow {
        earliest: stamp(w.earliest),
        latest: stamp(w.latest),
    })
}

/// A live instance's automated backups, in `status`.
pub fn active(scope: Scope, row: DbInstance, status: &'static str) -> DbInstanceAutomatedBackup {
    let arn = ResourceId::parse(&row.resource_id)
        .map(|id| id.automated_backups_arn(scope.region, scope.account_id))
        .unwrap_or_default();
    DbInstanceAutomatedBackup {
        restore_window: window(row.restorable_window()),
        port: row.endpoint_port.or(row.requested_port).unwrap_or(5432),
        instance_arn: row.arn,
        dbi_resource_id: row.resource_id,
        region: scope.region.to_owned(),
        instance_identifier: row.identifier,
        allocated_storage: row.allocated_storage,
        status,
        availability_zone: format!("{}a", scope.region),
        instance_create_time: stamp(row.created_at),
        master_username: row.master_username,
        engine: row.engine,
        engine_version: row.engine_version,
        license_model: "postgresql-license",
        encrypted: false,
        storage_type: "gp2",
        iam_auth: false,
        backup_retention_period: row.backup_retention_period,
        preferred_backup_window: row.preferred_backup_window,
        arn,
        backup_target: "region",
    }
}

/// A deleted instance's retained backups, in `status` (`retained`, or `deleting` in a delete's
/// answer).
pub fn retained_shape(
    scope: Scope,
    kept: &Retained,
    status: &'static str,
) -> DbInstanceAutomatedBackup {
    let (row, newest) = (&kept.row, &kept.newest);
    let arn = ResourceId::parse(&row.dbi_resource_id)
        .map(|id| id.automated_backups_arn(scope.region, scope.account_id))
        .unwrap_or_default();
    DbInstanceAutomatedBackup {
        instance_arn: row.instance_arn.clone(),
        dbi_resource_id: row.dbi_resource_id.clone(),
        region: scope.region.to_owned(),
        instance_identifier: row.instance_identifier.clone(),
        restore_window: window(row.restorable_window()),
        allocated_storage: newest.allocated_storage,
        status,
        port: newest.port,
        availability_zone: format!("{}a", scope.region),
        instance_create_time: stamp(newest.instance_create_time),
        master_username: newest.master_username.clone(),
        engine: newest.engine.clone(),
        engine_version: newest.engine_version.clone(),
        license_model: "postgresql-license",
        encrypted: false,
        storage_type: "gp2",
        iam_auth: false,
        backup_retention_period: row.backup_retention_period,
        preferred_backup_window: row.preferred_backup_window.clone(),
        arn,
        backup_target: "region",
    }
}
