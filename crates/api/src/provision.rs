//! Recording a new instance, shared by `CreateDBInstance` and the postgraas API: quotas (counted
//! and the row inserted under one lock, so concurrent creates never pass them together), the
//! row (status `creating`, the password as a SCRAM verifier only), its tags, an event and the
//! create job, inside the caller's transaction.

use crate::error::ApiError;
use crate::AppState;
use cornac_domain::{
    DbName, InstanceIdentifier, InstanceStatus, MasterUsername, ResourceId, ScramVerifier,
};
use cornac_inventory::instances::{self, DbInstance, NewDbInstance};
use cornac_inventory::{events, tags, PgConnection};
use cornac_jobs::{Job, JobKind};
use cornac_wire::{AwsError, ErrorCode};

/// A validated request for a new instance.
pub struct Request<'a> {
    pub identifier: &'a InstanceIdentifier,
    pub class: &'a str,
    pub engine_version: &'a str,
    pub storage: i64,
    pub username: &'a MasterUsername,
    pub verifier: &'a ScramVerifier,
    pub db_name: Option<&'a DbName>,
    pub port: Option<i64>,
    pub deletion_protection: bool,
    pub retention: i64,
    pub tags: &'a [(String, String)],
}

pub fn record(
    state: &AppState,
    conn: &mut PgConnection,
    request: &Request,
) -> Result<DbInstance, ApiError> {
    instances::lock_names_and_quotas(conn)?;
    let (count, used) = instances::usage(conn)?;
    if count >= state.quotas.max_instances {
        return Err(AwsError::new(
            ErrorCode::InstanceQuotaExceeded,
            "The DB instance quota has been reached.",
        )
        .into());
    }
    if used.saturating_add(request.storage) > state.quotas.max_storage_gib {
        return Err(AwsError::new(
            ErrorCode::StorageQuotaExceeded,
            "The allocated storage quota has been reached.",
        )
        .into());
    }
    let resource_id = ResourceId::generate();
    let arn = request.identifier.arn(&state.region, &state.account_id);
    let row = instances::insert(
        conn,
        &NewDbInstance {
            identifier: request.identifier.as_str(),
            resource_id: resource_id.as_str(),
            arn: &arn,
            status: InstanceStatus::Creating.as_str(),
            instance_class: request.class,
            engine: "postgres",
            engine_version: request.engine_version,
            allocated_storage: i32::try_from(request.storage).unwrap_or(i32::MAX),
            master_username: request.username.as_str(),
            master_password_verifier: request.verifier.as_str(),
            db_name: request.db_name.map(DbName::as_str),
            requested_port: request.port.and_then(|p| i32::try_from(p).ok()),
            endpoint_address: None,
            endpoint_port: None,
            deletion_protection: request.deletion_protection,
            backup_retention_period: i32::try_from(request.retention).unwrap_or(1),
            provider: &state.provider_kind,
        },
    )?;
    if !request.tags.is_empty() {
        tags::put(conn, row.id, request.tags)?;
    }
    events::record(
        conn,
        &row.identifier,
        &row.arn,
        "creation",
        "DB instance is being created",
    )?;
    cornac_jobs::queue::enqueue(
        conn,
        Job {
            kind: JobKind::Create,
            instance_id: row.id,
        },
    )?;
    Ok(row)
}
