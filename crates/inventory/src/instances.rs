//! DB instance rows: the `DBInstance` shape's attributes, the status as its AWS string, and the
//! provider's own data. <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html>

use crate::schema::db_instances;
use crate::Result;
use chrono::{DateTime, Utc};
use cornac_domain::{Endpoint, InstanceStatus};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = db_instances)]
pub struct DbInstance {
    pub id: i64,
    pub identifier: String,
    pub resource_id: String,
    pub arn: String,
    pub status: String,
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
    pub provider: String,
    pub provider_data: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Cornac's own (the inventory): no API call may change or list it.
    pub system: bool,
}

impl DbInstance {
    /// The status as the domain type; a row always holds a valid one (a CHECK says so).
    pub fn status(&self) -> Option<InstanceStatus> {
        InstanceStatus::parse(&self.status)
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

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = db_instances)]
pub struct NewDbInstance<'a> {
    pub identifier: &'a str,
    pub resource_id: &'a str,
    pub arn: &'a str,
    pub status: &'a str,
    pub instance_class: &'a str,
    pub engine: &'a str,
    pub engine_version: &'a str,
    pub allocated_storage: i32,
    pub master_username: &'a str,
    pub master_password_verifier: &'a str,
    pub db_name: Option<&'a str>,
    pub requested_port: Option<i32>,
    pub endpoint_address: Option<&'a str>,
    pub endpoint_port: Option<i32>,
    pub deletion_protection: bool,
    pub backup_retention_period: i32,
    pub provider: &'a str,
}

pub fn insert(conn: &mut PgConnection, new: &NewDbInstance<'_>) -> Result<DbInstance> {
    Ok(diesel::insert_into(db_instances::table)
        .values(new)
        .returning(DbInstance::as_returning())
        .get_result(conn)?)
}

pub fn find(conn: &mut PgConnection, identifier: &str) -> Result<Option<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::identifier.eq(identifier))
        .select(DbInstance::as_select())
        .first(conn)
        .optional()?)
}

/// Mark the instance with this resource id as a system instance; true when that changed it.
pub fn mark_system(conn: &mut PgConnection, resource_id: &str) -> Result<bool> {
    let changed = diesel::update(
        db_instances::table
            .filter(db_instances::resource_id.eq(resource_id))
            .filter(db_instances::system.eq(false)),
    )
    .set(db_instances::system.eq(true))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Record where the instance answers.
pub fn set_endpoint(conn: &mut PgConnection, id: i64, endpoint: &Endpoint) -> Result<()> {
    diesel::update(db_instances::table.find(id))
        .set((
            db_instances::endpoint_address.eq(&endpoint.address),
            db_instances::endpoint_port.eq(i32::from(endpoint.port)),
            db_instances::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    Ok(())
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
pub fn all_of(conn: &mut PgConnection, provider: &str) -> Result<Vec<DbInstance>> {
    Ok(db_instances::table
        .filter(db_instances::provider.eq(provider))
        .order(db_instances::identifier.asc())
        .select(DbInstance::as_select())
        .load(conn)?)
}

/// What `DescribeDBInstances` may filter on; empty lists match everything.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub identifiers: Vec<String>,
    pub resource_ids: Vec<String>,
    pub engines: Vec<String>,
}

/// One page, ordered by identifier, starting after `after` (the previous page's marker).
/// System instances are never listed: only `cornac inspect` shows them.
pub fn list(
    conn: &mut PgConnection,
    filter: &ListFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<DbInstance>> {
    let mut query = db_instances::table
        .select(DbInstance::as_select())
        .order(db_instances::identifier.asc())
        .filter(db_instances::system.eq(false))
        .limit(limit)
        .into_boxed();
    if !filter.identifiers.is_empty() {
        query = query.filter(db_instances::identifier.eq_any(&filter.identifiers));
    }
    if !filter.resource_ids.is_empty() {
        query = query.filter(db_instances::resource_id.eq_any(&filter.resource_ids));
    }
    if !filter.engines.is_empty() {
        query = query.filter(db_instances::engine.eq_any(&filter.engines));
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

/// Instances counted, and their storage summed, for quotas.
pub fn usage(conn: &mut PgConnection) -> Result<(i64, i64)> {
    let (count, storage): (i64, Option<i64>) = db_instances::table
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

/// Move an instance to `to` through the domain's status machine, locking its row meanwhile.
/// Call it inside the transaction that makes the rest of the change.
pub fn transition(
    conn: &mut PgConnection,
    id: i64,
    to: InstanceStatus,
    reason: Option<&str>,
) -> std::result::Result<DbInstance, TransitionError> {
    let current: Option<String> = db_instances::table
        .find(id)
        .select(db_instances::status)
        .for_update()
        .first(conn)
        .optional()
        .map_err(crate::Error::from)?;
    let current = current.ok_or(TransitionError::Gone)?;
    let from = InstanceStatus::parse(&current).ok_or(TransitionError::Gone)?;
    from.transition(to)?;
    Ok(diesel::update(db_instances::table.find(id))
        .set((
            db_instances::status.eq(to.as_str()),
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
}

pub fn update(conn: &mut PgConnection, id: i64, changes: &Changes) -> Result<DbInstance> {
    Ok(diesel::update(db_instances::table.find(id))
        .set((changes, db_instances::updated_at.eq(diesel::dsl::now)))
        .returning(DbInstance::as_returning())
        .get_result(conn)?)
}
