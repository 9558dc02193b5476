//! DB snapshot rows: the `DBSnapshot` shape's attributes, with the status and type typed, and
//! what a restore needs of the instance it was taken of (kept after that instance is gone).
//! Only `cornac_jobs::lifecycle` calls the functions that write a status ([`insert`],
//! [`set_status`], [`delete`]).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSnapshot.html>

use crate::instances::DbInstance;
use crate::schema::{db_instances, db_snapshots};
use crate::Result;
use chrono::{DateTime, Utc};
use cornac_domain::{
    BackupKey, DbName, InstanceSpec, InstanceStatus, Invalid, MasterUsername, ProviderKind,
    ResourceId, ScramVerifier, SnapshotIdentifier, SnapshotStatus, SnapshotType,
};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = db_snapshots)]
pub struct DbSnapshot {
    pub id: i64,
    pub identifier: String,
    pub arn: String,
    pub status: SnapshotStatus,
    pub snapshot_type: SnapshotType,
    pub source_instance_id: i64,
    pub instance_identifier: String,
    pub dbi_resource_id: String,
    pub backup_key: String,
    pub source_snapshot_identifier: Option<String>,
    pub engine: String,
    pub engine_version: String,
    pub instance_class: String,
    pub allocated_storage: i32,
    pub port: i32,
    pub master_username: String,
    pub master_password_verifier: String,
    pub db_name: Option<String>,
    pub provider: ProviderKind,
    pub instance_create_time: DateTime<Utc>,
    pub snapshot_create_time: DateTime<Utc>,
    pub percent_progress: i32,
    pub updated_at: DateTime<Utc>,
    /// Its instance's account.
    pub account_id: String,
}

impl DbSnapshot {
    pub fn key(&self) -> std::result::Result<BackupKey, Invalid> {
        BackupKey::parse(&self.backup_key)
    }
}

/// A new snapshot row: of `instance` (a backup to take under a new key), or a copy of `source`
/// (its key shared).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = db_snapshots)]
pub struct NewSnapshot {
    identifier: String,
    arn: String,
    status: SnapshotStatus,
    snapshot_type: SnapshotType,
    source_instance_id: i64,
    instance_identifier: String,
    dbi_resource_id: String,
    backup_key: String,
    source_snapshot_identifier: Option<String>,
    engine: String,
    engine_version: String,
    instance_class: String,
    allocated_storage: i32,
    port: i32,
    master_username: String,
    master_password_verifier: String,
    db_name: Option<String>,
    provider: ProviderKind,
    instance_create_time: DateTime<Utc>,
    /// `None`: the inventory's `now()`.
    snapshot_create_time: Option<DateTime<Utc>>,
    percent_progress: i32,
    account_id: String,
}

impl NewSnapshot {
    /// A snapshot of `instance`, to be taken under a new key.
    pub fn of(
        instance: &DbInstance,
        identifier: &SnapshotIdentifier,
        arn: String,
        snapshot_type: SnapshotType,
    ) -> Self {
        Self {
            identifier: identifier.to_string(),
            arn,
            status: SnapshotStatus::Creating,
            snapshot_type,
            source_instance_id: instance.id,
            instance_identifier: instance.identifier.clone(),
            dbi_resource_id: instance.resource_id.clone(),
            backup_key: BackupKey::generate().to_string(),
            source_snapshot_identifier: None,
            engine: instance.engine.clone(),
            engine_version: instance.engine_version.clone(),
            instance_class: instance.instance_class.clone(),
            allocated_storage: instance.allocated_storage,
            port: instance
                .endpoint_port
                .or(instance.requested_port)
                .unwrap_or(5432),
            master_username: instance.master_username.clone(),
            master_password_verifier: instance.master_password_verifier.clone(),
            db_name: instance.db_name.clone(),
            provider: instance.provider,
            instance_create_time: instance.created_at,
            snapshot_create_time: None,
            percent_progress: 0,
            account_id: instance.account_id.clone(),
        }
    }

    /// A copy of `source` named `identifier`: the same backup (its key), a manual snapshot.
    pub fn copy(source: &DbSnapshot, identifier: &SnapshotIdentifier, arn: String) -> Self {
        Self {
            identifier: identifier.to_string(),
            arn,
            status: source.status,
            snapshot_type: SnapshotType::Manual,
            source_instance_id: source.source_instance_id,
            instance_identifier: source.instance_identifier.clone(),
            dbi_resource_id: source.dbi_resource_id.clone(),
            backup_key: source.backup_key.clone(),
            source_snapshot_identifier: Some(source.identifier.clone()),
            engine: source.engine.clone(),
            engine_version: source.engine_version.clone(),
            instance_class: source.instance_class.clone(),
            allocated_storage: source.allocated_storage,
            port: source.port,
            master_username: source.master_username.clone(),
            master_password_verifier: source.master_password_verifier.clone(),
            db_name: source.db_name.clone(),
            provider: source.provider,
            instance_create_time: source.instance_create_time,
            snapshot_create_time: None,
            percent_progress: source.percent_progress,
            account_id: source.account_id.clone(),
        }
    }

    /// The row starts in `status` (the lifecycle's table says which).
    pub fn with_status(mut self, status: SnapshotStatus) -> Self {
        self.status = status;
        self.percent_progress = progress(status);
        self
    }

    /// Taken at `at` (`None`: the inventory's `now()`).
    pub fn taken_at(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.snapshot_create_time = at;
        self
    }

    pub fn identifier(&self) -> &str {
        &self.identifier
    }
}

/// Insert a snapshot row (and its tags); call through the lifecycle only.
pub fn insert(
    conn: &mut PgConnection,
    new: &NewSnapshot,
    tags: &[(String, String)],
) -> Result<DbSnapshot> {
    let row = diesel::insert_into(db_snapshots::table)
        .values(new)
        .returning(DbSnapshot::as_returning())
        .get_result(conn)?;
    crate::tags::put(conn, crate::tags::Owner::snapshot(row.id), tags)?;
    Ok(row)
}

/// The snapshot named `identifier` in any account (the oldest such row), for tests and
/// `cornac` commands.
pub fn find(conn: &mut PgConnection, identifier: &str) -> Result<Option<DbSnapshot>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::identifier.eq(identifier))
        .order(db_snapshots::id.asc())
        .select(DbSnapshot::as_select())
        .first(conn)
        .optional()?)
}

/// The snapshot `account` calls `identifier`.
pub fn find_in(
    conn: &mut PgConnection,
    account: &str,
    identifier: &str,
) -> Result<Option<DbSnapshot>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::account_id.eq(account))
        .filter(db_snapshots::identifier.eq(identifier))
        .select(DbSnapshot::as_select())
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut PgConnection, id: i64) -> Result<Option<DbSnapshot>> {
    Ok(db_snapshots::table
        .find(id)
        .select(DbSnapshot::as_select())
        .first(conn)
        .optional()?)
}

/// The row, locked until the transaction ends.
pub fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<DbSnapshot>> {
    Ok(db_snapshots::table
        .find(id)
        .select(DbSnapshot::as_select())
        .for_update()
        .first(conn)
        .optional()?)
}

/// `PercentProgress` in `status`: a backup is made in one step, so 100 once `available`.
fn progress(status: SnapshotStatus) -> i32 {
    if status == SnapshotStatus::Available {
        100
    } else {
        0
    }
}

/// Set the status (100 % done once `available`); call through the lifecycle only.
pub fn set_status(conn: &mut PgConnection, id: i64, to: SnapshotStatus) -> Result<DbSnapshot> {
    Ok(diesel::update(db_snapshots::table.find(id))
        .set((
            db_snapshots::status.eq(to),
            db_snapshots::percent_progress.eq(progress(to)),
            db_snapshots::updated_at.eq(diesel::dsl::now),
        ))
        .returning(DbSnapshot::as_returning())
        .get_result(conn)?)
}

/// Remove the row (its tags go with it); call through the lifecycle only.
pub fn delete(conn: &mut PgConnection, id: i64) -> Result<()> {
    diesel::delete(db_snapshots::table.find(id)).execute(conn)?;
    Ok(())
}

/// Whether a snapshot row other than `except` shares the backup `key` (a copy, or its source).
pub fn key_shared(conn: &mut PgConnection, key: &str, except: i64) -> Result<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        db_snapshots::table
            .filter(db_snapshots::backup_key.eq(key))
            .filter(db_snapshots::id.ne(except)),
    ))
    .get_result(conn)?)
}

/// Whether an instance's create job is restoring the backup `key`.
pub fn key_restoring(conn: &mut PgConnection, key: &str) -> Result<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        db_instances::table
            .filter(db_instances::restore_backup_key.eq(key))
            .filter(db_instances::status.eq(InstanceStatus::Creating)),
    ))
    .get_result(conn)?)
}

/// The instance's manual snapshot still being taken, if any (at most one: taking one moves the
/// instance out of the statuses a snapshot may start from until it is finished or failed; an
/// automated one moves no status, and its job is never resumed for one).
pub fn creating_of(conn: &mut PgConnection, instance_id: i64) -> Result<Option<DbSnapshot>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::source_instance_id.eq(instance_id))
        .filter(db_snapshots::status.eq(SnapshotStatus::Creating))
        .filter(db_snapshots::snapshot_type.eq(SnapshotType::Manual))
        .select(DbSnapshot::as_select())
        .first(conn)
        .optional()?)
}

/// Snapshots in `status` (the reconciler looks for deletions with no job).
pub fn in_status(conn: &mut PgConnection, status: SnapshotStatus) -> Result<Vec<DbSnapshot>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::status.eq(status))
        .order(db_snapshots::id.asc())
        .select(DbSnapshot::as_select())
        .load(conn)?)
}

/// Every automated snapshot, of each instance newest first (the schedule and expiry read
/// them).
pub fn automated(conn: &mut PgConnection) -> Result<Vec<DbSnapshot>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::snapshot_type.eq(SnapshotType::Automated))
        .order((
            db_snapshots::source_instance_id.asc(),
            db_snapshots::snapshot_create_time.desc(),
        ))
        .select(DbSnapshot::as_select())
        .load(conn)?)
}

/// The automated snapshots of the instance `instance_id` (which may be gone), newest first.
pub fn automated_of(conn: &mut PgConnection, instance_id: i64) -> Result<Vec<DbSnapshot>> {
    Ok(db_snapshots::table
        .filter(db_snapshots::snapshot_type.eq(SnapshotType::Automated))
        .filter(db_snapshots::source_instance_id.eq(instance_id))
        .order(db_snapshots::snapshot_create_time.desc())
        .select(DbSnapshot::as_select())
        .load(conn)?)
}

/// How many manual snapshots `account` has (the quota counts them; automated ones have their
/// own).
pub fn manual_count(conn: &mut PgConnection, account: &str) -> Result<i64> {
    Ok(db_snapshots::table
        .filter(db_snapshots::account_id.eq(account))
        .filter(db_snapshots::snapshot_type.eq(SnapshotType::Manual))
        .count()
        .get_result(conn)?)
}

/// What `DescribeDBSnapshots` may filter on: `None` matches everything, a list only its values
/// (an empty one nothing).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub identifiers: Option<Vec<String>>,
    pub instance_identifiers: Option<Vec<String>>,
    pub resource_ids: Option<Vec<String>>,
    pub types: Option<Vec<SnapshotType>>,
}

/// One page of `account`'s snapshots, ordered by identifier, after `after` (the previous
/// page's marker).
pub fn list(
    conn: &mut PgConnection,
    account: &str,
    filter: &ListFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DbSnapshot>> {
    let mut query = db_snapshots::table
        .select(DbSnapshot::as_select())
        .order(db_snapshots::identifier.asc())
        .filter(db_snapshots::account_id.eq(account))
        .limit(limit)
        .into_boxed();
    if let Some(identifiers) = &filter.identifiers {
        query = query.filter(db_snapshots::identifier.eq_any(identifiers));
    }
    if let Some(instances) = &filter.instance_identifiers {
        query = query.filter(db_snapshots::instance_identifier.eq_any(instances));
    }
    if let Some(resource_ids) = &filter.resource_ids {
        query = query.filter(db_snapshots::dbi_resource_id.eq_any(resource_ids));
    }
    if let Some(types) = &filter.types {
        query = query.filter(db_snapshots::snapshot_type.eq_any(types));
    }
    if let Some(after) = after {
        query = query.filter(db_snapshots::identifier.gt(after));
    }
    Ok(query.load(conn)?)
}

impl DbSnapshot {
    /// What a restore of this snapshot is given: its data's instance as it was, under a new
    /// resource id, with `class` and `port` when asked for.
    pub fn restore_spec(
        &self,
        resource_id: ResourceId,
        class: Option<&str>,
        port: Option<u16>,
    ) -> std::result::Result<InstanceSpec, Invalid> {
        Ok(InstanceSpec {
            resource_id,
            engine_version: self.engine_version.clone(),
            instance_class: class.unwrap_or(&self.instance_class).to_owned(),
            // Positive by the table's check.
            allocated_storage_gib: self.allocated_storage.unsigned_abs(),
            master_username: MasterUsername::parse(&self.master_username)?,
            master_password: ScramVerifier::parse(&self.master_password_verifier)?,
            db_name: self.db_name.as_deref().map(DbName::parse).transpose()?,
            port,
        })
    }
}
