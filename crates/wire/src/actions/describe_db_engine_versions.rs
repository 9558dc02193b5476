//! `DescribeDBEngineVersions`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html>

use super::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeDbEngineVersionsInput {
    pub engine: Option<String>,
    /// `15` or `15.18`.
    pub engine_version: Option<String>,
    pub default_only: bool,
}

impl DescribeDbEngineVersionsInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            engine: params.get("Engine").map(str::to_owned),
            engine_version: params.get("EngineVersion").map(str::to_owned),
            default_only: params.bool("DefaultOnly")?.unwrap_or(false),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineVersion {
    #[serde(rename = "Engine")]
    pub engine: &'static str,
    #[serde(rename = "EngineVersion")]
    pub version: String,
    #[serde(rename = "DBParameterGroupFamily")]
    pub parameter_group_family: String,
    #[serde(rename = "DBEngineDescription")]
    pub description: &'static str,
    #[serde(rename = "DBEngineVersionDescription")]
    pub version_description: String,
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(rename = "SupportsReadReplica")]
    pub supports_read_replica: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineVersions {
    #[serde(rename = "DBEngineVersion")]
    pub versions: Vec<EngineVersion>,
}

/// `DescribeDBEngineVersionsResult`.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeDbEngineVersionsOutput {
    #[serde(rename = "DBEngineVersions")]
    pub versions: EngineVersions,
}

impl Output for DescribeDbEngineVersionsOutput {
    const ACTION: Action = Action::DescribeDbEngineVersions;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn default_only_is_a_boolean() {
        let read = |body: &str| DescribeDbEngineVersionsInput::from_params(&form(body));
        let input = read("Engine=postgres&EngineVersion=15&DefaultOnly=true").unwrap();
        assert_eq!(input.engine.as_deref(), Some("postgres"));
        assert_eq!(input.engine_version.as_deref(), Some("15"));
        assert!(input.default_only);
        assert!(!read("").unwrap().default_only);
        refused(
            read("DefaultOnly=1"),
            ErrorCode::InvalidParameterValue,
            400,
            "DefaultOnly",
        );
    }
}
