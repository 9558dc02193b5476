//! `DescribeOrderableDBInstanceOptions`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeOrderableDBInstanceOptions.html>

use super::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeOrderableDbInstanceOptionsInput {
    pub engine: String,
    /// `15` or `15.18`.
    pub engine_version: Option<String>,
    pub class: Option<String>,
}

impl DescribeOrderableDbInstanceOptionsInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            engine: params.required("Engine")?.to_owned(),
            engine_version: params.get("EngineVersion").map(str::to_owned),
            class: params.get("DBInstanceClass").map(str::to_owned),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderableOption {
    #[serde(rename = "Engine")]
    pub engine: &'static str,
    #[serde(rename = "EngineVersion")]
    pub version: String,
    #[serde(rename = "DBInstanceClass")]
    pub class: &'static str,
    #[serde(rename = "LicenseModel")]
    pub license_model: &'static str,
    #[serde(rename = "MultiAZCapable")]
    pub multi_az_capable: bool,
    #[serde(rename = "ReadReplicaCapable")]
    pub read_replica_capable: bool,
    #[serde(rename = "Vpc")]
    pub vpc: bool,
    #[serde(rename = "StorageType")]
    pub storage_type: &'static str,
    #[serde(rename = "MinStorageSize")]
    pub min_storage: i32,
    #[serde(rename = "MaxStorageSize")]
    pub max_storage: i32,
    #[serde(rename = "SupportsStorageAutoscaling")]
    pub storage_autoscaling: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderableOptions {
    #[serde(rename = "OrderableDBInstanceOption")]
    pub options: Vec<OrderableOption>,
}

/// `DescribeOrderableDBInstanceOptionsResult`.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeOrderableDbInstanceOptionsOutput {
    #[serde(rename = "OrderableDBInstanceOptions")]
    pub options: OrderableOptions,
}

impl Output for DescribeOrderableDbInstanceOptionsOutput {
    const ACTION: Action = Action::DescribeOrderableDbInstanceOptions;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn the_engine_is_required() {
        let read = |body: &str| DescribeOrderableDbInstanceOptionsInput::from_params(&form(body));
        let input = read("Engine=postgres&DBInstanceClass=db.t3.micro").unwrap();
        assert_eq!(input.engine, "postgres");
        assert_eq!(input.class.as_deref(), Some("db.t3.micro"));
        refused(
            read("EngineVersion=15"),
            ErrorCode::MissingParameter,
            400,
            "Engine",
        );
    }
}
