//! `CreateDBInstance`: validate everything, record the instance as `creating` (with a SCRAM
//! verifier, never the password), and leave the provisioning to the worker.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::view;
use cornac_domain::{
    tag, DbName, InstanceClass, InstanceIdentifier, InstanceStatus, MasterPassword, MasterUsername,
    ResourceId,
};
use cornac_inventory::instances::{self, NewDbInstance};
use cornac_inventory::{events, tags, Connection, DatabaseErrorKind, PgConnection, QueryError};
use cornac_jobs::{Job, JobKind};
use cornac_wire::{AwsError, ErrorCode, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let identifier = InstanceIdentifier::parse(params.required("DBInstanceIdentifier")?)?;
    let class = InstanceClass::parse(params.required("DBInstanceClass")?)?;
    let engine = params.required("Engine")?;
    if engine != "postgres" {
        return Err(AwsError::invalid(
            "Engine",
            format!("engine {engine:?} is not offered here; use postgres"),
        )
        .into());
    }
    let engine_version = ctx.state.engine_version(params.get("EngineVersion"))?;
    let storage = params.int("AllocatedStorage", 1, 65536)?.unwrap_or(20);
    let username = MasterUsername::parse(params.required("MasterUsername")?)?;
    let password = MasterPassword::parse(params.required("MasterUserPassword")?)?;
    let db_name = params.get("DBName").map(DbName::parse).transpose()?;
    let port = params.int("Port", 1150, 65535)?;
    let deletion_protection = params.bool("DeletionProtection")?.unwrap_or(false);
    let retention = params.int("BackupRetentionPeriod", 0, 35)?.unwrap_or(1);
    if params.bool("MultiAZ")? == Some(true) {
        return Err(AwsError::combination("MultiAZ is not supported by this service yet.").into());
    }
    let tags = checked_tags(params)?;
    let verifier = password.verifier();
    let resource_id = ResourceId::generate();
    let arn = identifier.arn(&ctx.state.region, &ctx.state.account_id);

    conn.transaction(|conn| {
        let (count, used) = instances::usage(conn)?;
        if count >= ctx.state.quotas.max_instances {
            return Err(AwsError::new(
                ErrorCode::InstanceQuotaExceeded,
                "The DB instance quota has been reached.",
            )
            .into());
        }
        if used + storage > ctx.state.quotas.max_storage_gib {
            return Err(AwsError::new(
                ErrorCode::StorageQuotaExceeded,
                "The allocated storage quota has been reached.",
            )
            .into());
        }
        let row = instances::insert(
            conn,
            &NewDbInstance {
                identifier: identifier.as_str(),
                resource_id: resource_id.as_str(),
                arn: &arn,
                status: InstanceStatus::Creating.as_str(),
                instance_class: class.name,
                engine: "postgres",
                engine_version: &engine_version,
                allocated_storage: i32::try_from(storage).unwrap_or(i32::MAX),
                master_username: username.as_str(),
                master_password_verifier: verifier.as_str(),
                db_name: db_name.as_ref().map(DbName::as_str),
                requested_port: port.and_then(|p| i32::try_from(p).ok()),
                endpoint_address: None,
                endpoint_port: None,
                deletion_protection,
                backup_retention_period: i32::try_from(retention).unwrap_or(1),
                provider: &ctx.state.provider_kind,
            },
        )
        .map_err(|e| match e {
            cornac_inventory::Error::Query(QueryError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _,
            )) => ApiError::Aws(AwsError::new(
                ErrorCode::DbInstanceAlreadyExists,
                "DB instance already exists",
            )),
            other => other.into(),
        })?;
        if !tags.is_empty() {
            tags::put(conn, row.id, &tags)?;
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
        Ok(ctx.reply(&view::instance_result(ctx, conn, row)?))
    })
}

/// `Tags.Tag.N`, checked against RDS's rules.
pub fn checked_tags(params: &Params) -> Result<Vec<(String, String)>, ApiError> {
    let tags = params.tags()?;
    if tags.len() > tag::MAX_TAGS {
        return Err(AwsError::invalid(
            "Tags",
            format!("at most {} tags a resource", tag::MAX_TAGS),
        )
        .into());
    }
    tags.into_iter()
        .map(|t| {
            tag::check_key(&t.key)?;
            tag::check_value(&t.key, &t.value)?;
            Ok((t.key, t.value))
        })
        .collect()
}
