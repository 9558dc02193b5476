//! `DescribeDBEngineVersions`: the PostgreSQL versions the provider can run on this host.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use cornac_wire::catalog::{DescribeEngineVersionsResult, EngineVersion, EngineVersions};
use cornac_wire::Params;

pub fn handle(ctx: &Ctx, params: &Params) -> Result<Reply, ApiError> {
    let engine_ok = params.get("Engine").is_none_or(|e| e == "postgres");
    let wanted = params.get("EngineVersion");
    let default_only = params.bool("DefaultOnly")?.unwrap_or(false);
    let mut versions: Vec<EngineVersion> = ctx
        .state
        .engine_versions
        .iter()
        .filter(|v| engine_ok && wanted.is_none_or(|w| w == v.as_str() || w == major(v)))
        .map(|v| EngineVersion {
            engine: "postgres",
            version: v.clone(),
            parameter_group_family: format!("postgres{}", major(v)),
            description: "PostgreSQL",
            version_description: format!("PostgreSQL {v}"),
            status: "available",
            supports_read_replica: false,
        })
        .collect();
    if default_only {
        versions.truncate(1);
    }
    Ok(ctx.reply(&DescribeEngineVersionsResult {
        versions: EngineVersions { versions },
    }))
}

/// `15` of `15.18`.
pub fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}
