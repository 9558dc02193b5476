//! What both restores (`RestoreDBInstanceFromDBSnapshot`, `RestoreDBInstanceToPointInTime`)
//! take besides their source: the new instance's class, port, tags, deletion protection,
//! `CopyTagsToSnapshot` and parameter group (only the engine's default group exists here, so
//! `DBParameterGroupName` must name it). `MultiAZ=true` and another `Engine` are refused.

use super::tags;
use crate::{AwsError, ErrorCode, Params, Tag};
use cornac_domain::InstanceClass;

#[derive(Debug)]
pub struct RestoreOptions {
    /// The source's class when `None`.
    pub class: Option<InstanceClass>,
    pub port: Option<i64>,
    pub deletion_protection: bool,
    pub copy_tags_to_snapshot: bool,
    pub tags: Vec<Tag>,
    /// `DBParameterGroupName`, a default group's name (checked against the engine later).
    pub parameter_group: Option<String>,
}

/// The name of the default parameter group of PostgreSQL `major`.
pub fn default_parameter_group(major: &str) -> String {
    format!("default.postgres{major}")
}

/// `DBParameterGroupNotFound`, as RDS answers a group it does not have.
pub fn parameter_group_not_found(name: &str) -> AwsError {
    AwsError::new(
        ErrorCode::DbParameterGroupNotFound,
        format!("DBParameterGroup not found: {name} (only the engine's default group exists here)"),
    )
}

impl RestoreOptions {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        if params.bool("MultiAZ")? == Some(true) {
            return Err(AwsError::combination(
                "MultiAZ is not supported by this service yet.",
            ));
        }
        if let Some(engine) = params.get("Engine").filter(|e| *e != "postgres") {
            return Err(AwsError::invalid(
                "Engine",
                format!("engine {engine:?} is not offered here; a restore is postgres"),
            ));
        }
        let parameter_group = params.get("DBParameterGroupName").map(str::to_owned);
        if let Some(name) = parameter_group
            .as_deref()
            .filter(|n| !n.starts_with("default.postgres"))
        {
            return Err(parameter_group_not_found(name));
        }
        Ok(Self {
            class: params
                .get("DBInstanceClass")
                .map(InstanceClass::parse)
                .transpose()?,
            port: params.int("Port", 1, 65535)?,
            deletion_protection: params.bool("DeletionProtection")?.unwrap_or(false),
            copy_tags_to_snapshot: params.bool("CopyTagsToSnapshot")?.unwrap_or(false),
            tags: tags::checked(params)?,
            parameter_group,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};

    fn read(body: &str) -> Result<RestoreOptions, AwsError> {
        RestoreOptions::from_params(&form(body))
    }

    #[test]
    fn every_option_is_read() {
        let options = read(
            "DBInstanceClass=db.t3.small&Port=6000&DeletionProtection=true\
             &CopyTagsToSnapshot=true&Tags.Tag.1.Key=k&DBParameterGroupName=default.postgres15\
             &Engine=postgres&MultiAZ=false",
        )
        .unwrap();
        assert_eq!(options.class.map(|c| c.name), Some("db.t3.small"));
        assert_eq!(options.port, Some(6000));
        assert!(options.deletion_protection && options.copy_tags_to_snapshot);
        assert_eq!(options.tags.len(), 1);
        assert_eq!(
            options.parameter_group.as_deref(),
            Some("default.postgres15")
        );
        let plain = read("").unwrap();
        assert!(plain.class.is_none() && plain.port.is_none() && !plain.deletion_protection);
        assert!(plain.tags.is_empty() && plain.parameter_group.is_none());
    }

    #[test]
    fn bad_options_are_refused() {
        let cases = [
            ("Port=0", ErrorCode::InvalidParameterValue, 400, "Port"),
            ("Port=x", ErrorCode::InvalidParameterValue, 400, "Port"),
            (
                "DBInstanceClass=big",
                ErrorCode::InvalidParameterValue,
                400,
                "DBInstanceClass",
            ),
            (
                "Engine=mysql",
                ErrorCode::InvalidParameterValue,
                400,
                "Engine",
            ),
            (
                "MultiAZ=true",
                ErrorCode::InvalidParameterCombination,
                400,
                "MultiAZ",
            ),
            (
                "DeletionProtection=maybe",
                ErrorCode::InvalidParameterValue,
                400,
                "DeletionProtection",
            ),
            (
                "DBParameterGroupName=custom",
                ErrorCode::DbParameterGroupNotFound,
                404,
                "custom",
            ),
        ];
        for (body, code, status, parameter) in cases {
            refused(read(body), code, status, parameter);
        }
    }
}
