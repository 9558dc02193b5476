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
}

impl DbInstance {
    /// The status as the domain type; a row always holds a valid one (a CHECK says so).
    pub fn status(&self) -> Option<InstanceStatus> {
        InstanceStatus::parse(&self.status)
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
