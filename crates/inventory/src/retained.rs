//! Retained automated backups: one row per deleted instance whose automated backups were kept
//! (`DeleteDBInstance` with `DeleteAutomatedBackups=false`). The backups are still that
//! instance's automated snapshot rows (which copy what a restore needs) and the provider's
//! repository under its resource id; the row keeps its names, its retention and the restorable
//! window the worker reads. Only `cornac_jobs::lifecycle` calls [`insert`] and [`delete`].
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html>

use crate::instances::DbInstance;
use crate::schema::{db_instances, db_snapshots, retained_backups};
use crate::Result;
use chrono::{DateTime, Utc};
use cornac_domain::{ProviderKind, RestorableWindow, SnapshotStatus, SnapshotType};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = retained_backups)]
pub struct RetainedBackup {
    pub id: i64,
    pub source_instance_id: i64,
    pub dbi_resource_id: String,
    pub instance_identifier: String,
    pub instance_arn: String,
    pub provider: ProviderKind,
    pub backup_retention_period: i32,
    pub preferred_backup_window: String,
    pub earliest_restorable_time: Option<DateTime<Utc>>,
    pub latest_restorable_time: Option<DateTime<Utc>>,
    pub retained_at: DateTime<Utc>,
    /// The deleted instance's account.
    pub account_id: String,
}

impl RetainedBackup {
    /// The window a point-in-time restore may land in, as the worker last read it.
    pub fn restorable_window(&self) -> Option<RestorableWindow> {
        crate::windows::of(self.earliest_restorable_time, self.latest_restorable_time)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = retained_backups)]
struct NewRetained<'a> {
    source_instance_id: i64,
    dbi_resource_id: &'a str,
    instance_identifier: &'a str,
    instance_arn: &'a str,
    provider: ProviderKind,
    backup_retention_period: i32,
    preferred_backup_window: &'a str,
    earliest_restorable_time: Option<DateTime<Utc>>,
    latest_restorable_time: Option<DateTime<Utc>>,
    account_id: &'a str,
}

/// Keep the automated backups of `instance` (being deleted); call through the lifecycle only.
pub fn insert(conn: &mut PgConnection, instance: &DbInstance) -> Result<RetainedBackup> {
    let new = NewRetained {
        source_instance_id: instance.id,
        dbi_resource_id: &instance.resource_id,
        instance_identifier: &instance.identifier,
        instance_arn: &instance.arn,
        provider: instance.provider,
        backup_retention_period: instance.backup_retention_period,
        preferred_backup_window: &instance.preferred_backup_window,
        earliest_restorable_time: instance.earliest_restorable_time,
        latest_restorable_time: instance.latest_restorable_time,
        account_id: &instance.account_id,
    };
    Ok(diesel::insert_into(retained_backups::table)
        .values(&new)
        .returning(RetainedBackup::as_returning())
        .get_result(conn)?)
}

/// Remove the row (its snapshots are the caller's to expire); call through the lifecycle only.
pub fn delete(conn: &mut PgConnection, id: i64) -> Result<()> {
    diesel::delete(retained_backups::table.find(id)).execute(conn)?;
    Ok(())
}

/// The row, locked until the transaction ends.
pub fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<RetainedBackup>> {
    Ok(retained_backups::table
        .find(id)
        .select(RetainedBackup::as_select())
        .for_update()
        .first(conn)
        .optional()?)
}

/// The retained backups of the instance that had the resource id `resource_id`.
pub fn find(conn: &mut PgConnection, resource_id: &str) -> Result<Option<RetainedBackup>> {
    Ok(retained_backups::table
        .filter(retained_backups::dbi_resource_id.eq(resource_id))
        .select(RetainedBackup::as_select())
        .first(conn)
        .optional()?)
}

/// Every retained backup, oldest first (the schedule and the window refresh read them).
pub fn all(conn: &mut PgConnection) -> Result<Vec<RetainedBackup>> {
    Ok(retained_backups::table
        .order(retained_backups::id.asc())
        .select(RetainedBackup::as_select())
        .load(conn)?)
}

/// The retained backups of `provider`: their row ids and resource ids (the window refresh).
pub fn of_provider(conn: &mut PgConnection, provider: ProviderKind) -> Result<Vec<(i64, String)>> {
    Ok(retained_backups::table
        .filter(retained_backups::provider.eq(provider))
        .order(retained_backups::id.asc())
        .select((retained_backups::id, retained_backups::dbi_resource_id))
        .load(conn)?)
}

/// Of the instances `ids`, those with an available automated snapshot (their automated backup
/// is `active`; before the first it is `creating`).
pub fn with_available_backup(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<i64>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::source_instance_id.eq_any(ids))
        .filter(db_snapshots::snapshot_type.eq(SnapshotType::Automated))
        .filter(db_snapshots::status.eq(SnapshotStatus::Available))
        .select(db_snapshots::source_instance_id)
        .distinct()
        .load(conn)?)
}

/// The instances (system ones aside) that keep automated backups (`BackupRetentionPeriod` > 0),
/// by identifier order: the `active` automated backups `DescribeDBInstanceAutomatedBackups`
/// lists.
pub fn keeping(conn: &mut PgConnection) -> Result<Vec<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::system.eq(false))
        .filter(db_instances::backup_retention_period.gt(0))
        .order(db_instances::identifier.asc())
        .select(DbInstance::as_select())
        .load(conn)?)
}

/// Whether an instance is being restored from a point of the backups of `resource_id`.
pub fn restoring_from(conn: &mut PgConnection, resource_id: &str) -> Result<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        db_instances::table
            .filter(db_instances::restore_resource_id.eq(resource_id))
            .filter(db_instances::status.eq(cornac_domain::InstanceStatus::Creating)),
    ))
    .get_result(conn)?)
}
