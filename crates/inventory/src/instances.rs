//! DB instance rows: the `DBInstance` shape's attributes, with the status and the provider
//! kind typed. Only `cornac_jobs::lifecycle` calls the functions that write a status
//! ([`insert`], [`transition`], [`delete`]).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html>

use crate::schema::db_instances;
use crate::Result;
use chrono::{DateTime, Utc};
use cornac_domain::{
    BackupKey, DbName, Endpoint, InstanceSpec, InstanceStatus, Invalid, MasterUsername,
    NewInstance, ProviderKind, ResourceId, RestorableWindow, RestorePoint, RestoreSource,
    ScramVerifier,
};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = db_instances)]
pub struct DbInstance {
    pub id: i64,
    pub identifier: String,
    pub resource_id: String,
    pub arn: String,
    pub status: InstanceStatus,
    pub status_reason: Option<String>,
    pub instance_class: String,
    pub engine: String,
    pub engine_version: String,
    pub allocated_storage: i32,
    pub master_username: String,
    pub master_password_verifier: String,
    pub db_name: Option<String>,
    pub requested_port: Option<i32>,
    pub endpoint_address: Option<String>,
    pub endpoint_port: Option<i32>,
    pub deletion_protection: bool,
    pub backup_retention_period: i32,
    pub multi_az: bool,
    pub provider: ProviderKind,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Cornac's own (the inventory): no API call may change or list it.
    pub system: bool,
    /// Snapshots of it take its tags (`CopyTagsToSnapshot`).
    pub copy_tags_to_snapshot: bool,
    /// A restored instance: whose backups its create job restores, and which point of them
    /// (a backup, a time, or the latest time their WAL reaches; one of the three). The latest
    /// becomes a time when the create job first runs (`pin_restore_time`).
    pub restore_resource_id: Option<String>,
    pub restore_backup_key: Option<String>,
    /// The restorable window, as the worker last read it from the provider (`window.rs`).
    pub earliest_restorable_time: Option<DateTime<Utc>>,
    pub latest_restorable_time: Option<DateTime<Utc>>,
    pub restore_time: Option<DateTime<Utc>>,
    pub restore_latest: bool,
    /// `PreferredBackupWindow`, as `BackupWindow` writes it.
    pub preferred_backup_window: String,
    /// Asked by `DeleteDBInstance` (`DeleteAutomatedBackups=false`): the delete's finish keeps
    /// the automated backups (`retained.rs`).
    pub retain_automated_backups: bool,
    /// The account that owns it (`accounts`).
    pub account_id: String,
}

impl DbInstance {
    /// What the provider was given to create this instance, from the stored row.
    pub fn spec(&self) -> std::result::Result<InstanceSpec, Invalid> {
        Ok(InstanceSpec {
            resource_id: ResourceId::parse(&self.resource_id)?,
            engine_version: self.engine_version.clone(),
            instance_class: self.instance_class.clone(),
            allocated_storage_gib: u32::try_from(self.allocated_storage).unwrap_or(1),
            master_username: MasterUsername::parse(&self.master_username)?,
            master_password: ScramVerifier::parse(&self.master_password_verifier)?,
            db_name: self.db_name.as_deref().map(DbName::parse).transpose()?,
            port: self.requested_port.and_then(|p| u16::try_from(p).ok()),
        })
    }

    /// What a restored instance's create job restores: whose backups, and which point of them;
    /// `None` for an instance created empty.
    pub fn restore_source(&self) -> std::result::Result<Option<RestoreSource>, Invalid> {
        let Some(instance) = &self.restore_resource_id else {
            return Ok(None);
        };
        let point = match (&self.restore_backup_key, self.restore_time) {
            (Some(key), _) => RestorePoint::Backup(BackupKey::parse(key)?),
            (None, Some(time)) => RestorePoint::Time(time),
            (None, None) => RestorePoint::Latest,
        };
        Ok(Some(RestoreSource {
            instance: ResourceId::parse(instance)?,
            point,
        }))
    }

    /// The window a point-in-time restore of this instance may ask for, as last read.
    pub fn restorable_window(&self) -> Option<RestorableWindow> {
        crate::windows::of(self.earliest_restorable_time, self.latest_restorable_time)
    }

    /// Why no API call (and no job but a start) may act on this instance, when it is a system
    /// one; `None` for every other instance.
    pub fn system_refusal(&self) -> Option<String> {
        self.system.then(|| {
            format!(
                "{} is Cornac's inventory, a system instance managed by `cornac` commands \
                 (bootstrap, inspect, recover), not through the API",
                self.identifier
            )
        })
    }
}

/// The row a [`NewInstance`] becomes: every column derived from it, none listed twice.
#[derive(Insertable)]
#[diesel(table_name = db_instances)]
struct Row<'a> {
    identifier: &'a str,
    resource_id: &'a str,
    arn: &'a str,
    status: InstanceStatus,
    instance_class: &'a str,
    engine: &'a str,
    engine_version: &'a str,
    allocated_storage: i32,
    master_username: &'a str,
    master_password_verifier: &'a str,
    db_name: Option<&'a str>,
    requested_port: Option<i32>,
    endpoint_address: Option<&'a str>,
    endpoint_port: Option<i32>,
    deletion_protection: bool,
    backup_retention_period: i32,
    provider: ProviderKind,
    system: bool,
    copy_tags_to_snapshot: bool,
    restore_resource_id: Option<&'a str>,
    restore_backup_key: Option<&'a str>,
    restore_time: Option<DateTime<Utc>>,
    restore_latest: bool,
    preferred_backup_window: String,
    account_id: &'a str,
}

/// Where a new row is recorded: who runs it, and (for a registered system instance) where it
/// already answers.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    /// The owner's account, whose id `arn` carries.
    pub account_id: &'a str,
    pub arn: &'a str,
    pub provider: ProviderKind,
    pub status: InstanceStatus,
    pub endpoint: Option<&'a Endpoint>,
    pub system: bool,
    /// A restore: whose backups its create job restores, and which point of them.
    pub restore: Option<&'a RestoreSource>,
}

/// Insert `new`'s row; call through the lifecycle only.
pub fn insert(
    conn: &mut PgConnection,
    new: &NewInstance,
    placement: Placement<'_>,
) -> Result<DbInstance> {
    let spec = &new.spec;
    let point = placement.restore.map(|r| &r.point);
    let row = Row {
        identifier: new.identifier.as_str(),
        resource_id: spec.resource_id.as_str(),
        arn: placement.arn,
        status: placement.status,
        instance_class: &spec.instance_class,
        engine: "postgres",
        engine_version: &spec.engine_version,
        allocated_storage: i32::try_from(spec.allocated_storage_gib).unwrap_or(i32::MAX),
        master_username: spec.master_username.as_str(),
        master_password_verifier: spec.master_password.as_str(),
        db_name: spec.db_name.as_ref().map(DbName::as_str),
        requested_port: spec.port.map(i32::from),
        endpoint_address: placement.endpoint.map(|e| e.address.as_str()),
        endpoint_port: placement.endpoint.map(|e| i32::from(e.port)),
        deletion_protection: new.deletion_protection,
        backup_retention_period: i32::from(new.backup_retention_days),
        provider: placement.provider,
        system: placement.system,
        copy_tags_to_snapshot: new.copy_tags_to_snapshot,
        restore_resource_id: placement.restore.map(|r| r.instance.as_str()),
        restore_backup_key: point.and_then(|p| match p {
            RestorePoint::Backup(key) => Some(key.as_str()),
            _ => None,
        }),
        restore_time: point.and_then(|p| match p {
            RestorePoint::Time(time) => Some(*time),
            _ => None,
        }),
        restore_latest: point == Some(&RestorePoint::Latest),
        preferred_backup_window: new.backup_window.to_string(),
        account_id: placement.account_id,
    };
    let inserted = diesel::insert_into(db_instances::table)
        .values(&row)
        .returning(DbInstance::as_returning())
        .get_result(conn)?;
    if !new.tags.is_empty() {
        crate::tags::put(conn, crate::tags::Owner::instance(inserted.id), &new.tags)?;
    }
    Ok(inserted)
}

/// The instance named `identifier` in any account (the oldest such row): for `cornac`
/// commands, which an operator runs across accounts.
pub fn find(conn: &mut PgConnection, identifier: &str) -> Result<Option<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::identifier.eq(identifier))
        .order(db_instances::id.asc())
        .select(DbInstance::as_select())
        .first(conn)
        .optional()?)
}

/// Every instance called `identifier`, in any account (an operator's view), by account.
pub fn named(conn: &mut PgConnection, identifier: &str) -> Result<Vec<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::identifier.eq(identifier))
        .order((db_instances::account_id.asc(), db_instances::id.asc()))
        .select(DbInstance::as_select())
        .load(conn)?)
}

/// The instance `account` calls `identifier`.
pub fn find_in(
    conn: &mut PgConnection,
    account: &str,
    identifier: &str,
) -> Result<Option<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::account_id.eq(account))
        .filter(db_instances::identifier.eq(identifier))
        .select(DbInstance::as_select())
        .first(conn)
        .optional()?)
}

/// Mark the instance with this resource id as a system instance, of the system account; true
/// when that changed it.
pub fn mark_system(conn: &mut PgConnection, resource_id: &str) -> Result<bool> {
    let changed = diesel::update(
        db_instances::table
            .filter(db_instances::resource_id.eq(resource_id))
            .filter(db_instances::system.eq(false)),
    )
    .set((
        db_instances::system.eq(true),
        db_instances::account_id.eq(crate::accounts::SYSTEM),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Record where the instance answers; the row as it is now.
pub fn set_endpoint(conn: &mut PgConnection, id: i64, endpoint: &Endpoint) -> Result<DbInstance> {
    Ok(diesel::update(db_instances::table.find(id))
        .set((
            db_instances::endpoint_address.eq(&endpoint.address),
            db_instances::endpoint_port.eq(i32::from(endpoint.port)),
            db_instances::updated_at.eq(diesel::dsl::now),
        ))
        .returning(DbInstance::as_returning())
        .get_result(conn)?)
}

/// Pin a restore to the latest restorable time to `time`, the latest its source's window held
/// when the create job first ran: the row then restores to that time (`restore_latest` gives way
/// to `restore_time`), so a retry restores to the same point. A row already pinned, or not
/// restoring the latest, is left as it is; the row as it is now.
pub fn pin_restore_time(
    conn: &mut PgConnection,
    id: i64,
    time: DateTime<Utc>,
) -> Result<Option<DbInstance>> {
    diesel::update(
        db_instances::table
            .find(id)
            .filter(db_instances::restore_latest),
    )
    .set((
        db_instances::restore_latest.eq(false),
        db_instances::restore_time.eq(time),
        db_instances::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)?;
    get(conn, id)
}

pub fn find_by_resource_id(
    conn: &mut PgConnection,
    resource_id: &str,
) -> Result<Option<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::resource_id.eq(resource_id))
        .select(DbInstance::as_select())
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut PgConnection, id: i64) -> Result<Option<DbInstance>> {
    Ok(db_instances::table
        .find(id)
        .select(DbInstance::as_select())
        .first(conn)
        .optional()?)
}

/// Every instance a provider runs, by identifier.
pub fn all_of(conn: &mut PgConnection, provider: ProviderKind) -> Result<Vec<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::provider.eq(provider))
        .order(db_instances::identifier.asc())
        .select(DbInstance::as_select())
        .load(conn)?)
}

/// What `DescribeDBInstances` may filter on: `None` matches everything, a list only its values
/// (an empty one nothing).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub identifiers: Option<Vec<String>>,
    pub resource_ids: Option<Vec<String>>,
    pub engines: Option<Vec<String>>,
}

/// One page of `account`'s instances, ordered by identifier, starting after `after` (the
/// previous page's marker). System instances are never listed: only `cornac inspect` shows
/// them.
pub fn list(
    conn: &mut PgConnection,
    account: &str,
    filter: &ListFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DbInstance>> {
    let mut query = db_instances::table
        .select(DbInstance::as_select())
        .order(db_instances::identifier.asc())
        .filter(db_instances::system.eq(false))
        .filter(db_instances::account_id.eq(account))
        .limit(limit)
        .into_boxed();
    if let Some(identifiers) = &filter.identifiers {
        query = query.filter(db_instances::identifier.eq_any(identifiers));
    }
    if let Some(resource_ids) = &filter.resource_ids {
        query = query.filter(db_instances::resource_id.eq_any(resource_ids));
    }
    if let Some(engines) = &filter.engines {
        query = query.filter(db_instances::engine.eq_any(engines));
    }
    if let Some(after) = after {
        query = query.filter(db_instances::identifier.gt(after));
    }
    Ok(query.load(conn)?)
}

/// The advisory lock that [`lock_names_and_quotas`] takes (`cornac` with a 1; the reconciler's
/// is `cornac` itself).
const NAMES_AND_QUOTAS_LOCK: i64 = 0x0063_6f72_6e61_6301;

/// Serialise, until the transaction ends, every change that must see all committed instances
/// first: a create (its quota check and its insert) and a rename (its check that the new name
/// is free). Without it two concurrent creates could both pass the quota, or two renames both
/// find the name free. Under READ COMMITTED each statement after it sees every commit before.
pub fn lock_names_and_quotas(conn: &mut PgConnection) -> Result<()> {
    diesel::sql_query(format!(
        "SELECT pg_advisory_xact_lock({NAMES_AND_QUOTAS_LOCK})"
    ))
    .execute(conn)?;
    Ok(())
}

/// `account`'s instances counted, and their storage summed, for its quotas.
pub fn usage(conn: &mut PgConnection, account: &str) -> Result<(i64, i64)> {
    let (count, storage): (i64, Option<i64>) = db_instances::table
        .filter(db_instances::account_id.eq(account))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::sum(db_instances::allocated_storage),
        ))
        .first(conn)?;
    Ok((count, storage.unwrap_or(0)))
}

/// A status change refused by the status machine, or an instance that is gone.
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    #[error(transparent)]
    Refused(#[from] cornac_domain::status::InvalidTransition),
    #[error("the instance is gone")]
    Gone,
    #[error(transparent)]
    Inventory(#[from] crate::Error),
}

/// The row, locked until the transaction ends.
pub fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<DbInstance>> {
    Ok(db_instances::table
        .find(id)
        .select(DbInstance::as_select())
        .for_update()
        .first(conn)
        .optional()?)
}

/// Move an instance to `to` through the domain's status machine, locking its row meanwhile.
/// Call it through the lifecycle only, inside the transaction that makes the rest of the change.
pub fn transition(
    conn: &mut PgConnection,
    id: i64,
    to: InstanceStatus,
    reason: Option<&str>,
) -> std::result::Result<DbInstance, TransitionError> {
    let from = lock(conn, id)?.ok_or(TransitionError::Gone)?.status;
    from.transition(to)?;
    Ok(diesel::update(db_instances::table.find(id))
        .set((
            db_instances::status.eq(to),
            db_instances::status_reason.eq(reason),
            db_instances::updated_at.eq(diesel::dsl::now),
        ))
        .returning(DbInstance::as_returning())
        .get_result(conn)
        .map_err(crate::Error::from)?)
}

/// Remove the row (its tags go with it).
pub fn delete(conn: &mut PgConnection, id: i64) -> Result<()> {
    diesel::delete(db_instances::table.find(id)).execute(conn)?;
    Ok(())
}

/// The changes `ModifyDBInstance` may make; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = db_instances)]
pub struct Changes {
    pub identifier: Option<String>,
    pub arn: Option<String>,
    pub instance_class: Option<String>,
    pub allocated_storage: Option<i32>,
    pub master_password_verifier: Option<String>,
    pub deletion_protection: Option<bool>,
    pub backup_retention_period: Option<i32>,
    pub copy_tags_to_snapshot: Option<bool>,
    pub preferred_backup_window: Option<String>,
    /// Set by a delete that keeps the automated backups.
    pub retain_automated_backups: Option<bool>,
}

pub fn update(conn: &mut PgConnection, id: i64, changes: &Changes) -> Result<DbInstance> {
    Ok(diesel::update(db_instances::table.find(id))
        .set((changes, db_instances::updated_at.eq(diesel::dsl::now)))
        .returning(DbInstance::as_returning())
        .get_result(conn)?)
}
