//! `DescribeDBEngineVersions`: the PostgreSQL versions the provider can run on this host.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html>

use super::Ctx;
use cornac_wire::actions::describe_db_engine_versions::{
    DescribeDbEngineVersionsInput, DescribeDbEngineVersionsOutput, EngineVersion, EngineVersions,
};

pub fn handle(ctx: &Ctx, input: DescribeDbEngineVersionsInput) -> DescribeDbEngineVersionsOutput {
    let engine_ok = input.engine.as_deref().is_none_or(|e| e == "postgres");
    let wanted = input.engine_version.as_deref();
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
    if input.default_only {
        versions.truncate(1);
    }
    DescribeDbEngineVersionsOutput {
        versions: EngineVersions { versions },
    }
}

/// `15` of `15.18`.
pub fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}
