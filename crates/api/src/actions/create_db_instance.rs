//! `CreateDBInstance`: validate everything, record the instance as `creating` (with a SCRAM
//! verifier, never the password), and leave the provisioning to the worker.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::provision;
use crate::view;
use cornac_domain::{
    tag, DbName, InstanceClass, InstanceIdentifier, MasterPassword, MasterUsername,
};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::{AwsError, Params};

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
    let ports = &ctx.state.ports;
    let port = params.int("Port", (*ports.start()).into(), (*ports.end()).into())?;
    let deletion_protection = params.bool("DeletionProtection")?.unwrap_or(false);
    let retention = params.int("BackupRetentionPeriod", 0, 35)?.unwrap_or(1);
    if params.bool("MultiAZ")? == Some(true) {
        return Err(AwsError::combination("MultiAZ is not supported by this service yet.").into());
    }
    let tags = checked_tags(params)?;
    let request = provision::Request {
        identifier: &identifier,
        class: class.name,
        engine_version: &engine_version,
        storage,
        username: &username,
        verifier: &password.verifier(),
        db_name: db_name.as_ref(),
        port,
        deletion_protection,
        retention,
        tags: &tags,
    };
    conn.transaction(|conn| {
        let row = provision::record(ctx.state, conn, &request)?;
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
