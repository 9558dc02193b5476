//! `RestoreDBInstanceFromDBSnapshot`'s input and output: a new instance with a snapshot's data
//! and master user; its class, port, tags, deletion protection and `CopyTagsToSnapshot` may be
//! given. `DBParameterGroupName` is accepted only when it names the default group of the
//! snapshot's engine (`default.postgres<major>`): this service has no other parameter groups.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html>

use super::{instance_output, tags, Service};
use crate::{AwsError, ErrorCode, Params, Tag};
use cornac_domain::{InstanceClass, InstanceIdentifier, SnapshotIdentifier};

#[derive(Debug)]
pub struct RestoreDbInstanceFromDbSnapshotInput {
    pub identifier: InstanceIdentifier,
    /// The snapshot, given by identifier or ARN.
    pub snapshot: SnapshotIdentifier,
    /// The snapshot's instance's class when `None`.
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

impl RestoreDbInstanceFromDbSnapshotInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        if params.bool("MultiAZ")? == Some(true) {
            return Err(AwsError::combination(
                "MultiAZ is not supported by this service yet.",
            ));
        }
        if let Some(engine) = params.get("Engine").filter(|e| *e != "postgres") {
            return Err(AwsError::invalid(
                "Engine",
                format!("engine {engine:?} is not offered here; a snapshot restores as postgres"),
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
            identifier: InstanceIdentifier::parse(params.required("DBInstanceIdentifier")?)?,
            snapshot: service.snapshot(
                "DBSnapshotIdentifier",
                params.required("DBSnapshotIdentifier")?,
            )?,
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

instance_output!(
    /// `RestoreDBInstanceFromDBSnapshotResult`: the new instance, `creating`.
    RestoreDbInstanceFromDbSnapshotOutput,
    RestoreDbInstanceFromDbSnapshot
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};

    fn read(body: &str) -> Result<RestoreDbInstanceFromDbSnapshotInput, AwsError> {
        RestoreDbInstanceFromDbSnapshotInput::from_params(&form(body), &service())
    }

    #[test]
    fn a_full_restore_is_read() {
        let input = read(
            "DBInstanceIdentifier=Db2&DBSnapshotIdentifier=s1&DBInstanceClass=db.t3.small\
             &Port=6000&DeletionProtection=true&CopyTagsToSnapshot=true&Tags.Tag.1.Key=k\
             &DBParameterGroupName=default.postgres15",
        )
        .unwrap();
        assert_eq!(input.identifier.as_str(), "db2");
        assert_eq!(input.snapshot.as_str(), "s1");
        assert_eq!(input.class.map(|c| c.name), Some("db.t3.small"));
        assert_eq!(input.port, Some(6000));
        assert!(input.deletion_protection && input.copy_tags_to_snapshot);
        assert_eq!(input.tags.len(), 1);
        assert_eq!(input.parameter_group.as_deref(), Some("default.postgres15"));
        let plain = read("DBInstanceIdentifier=db2&DBSnapshotIdentifier=s1").unwrap();
        assert!(plain.class.is_none() && plain.port.is_none() && !plain.deletion_protection);
    }

    #[test]
    fn bad_restores_are_refused() {
        refused(
            read("DBSnapshotIdentifier=s1"),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db2"),
            ErrorCode::MissingParameter,
            400,
            "DBSnapshotIdentifier",
        );
        let base = "DBInstanceIdentifier=db2&DBSnapshotIdentifier=s1";
        refused(
            read(&format!("{base}&Port=0")),
            ErrorCode::InvalidParameterValue,
            400,
            "Port",
        );
        refused(
            read(&format!("{base}&DBInstanceClass=big")),
            ErrorCode::InvalidParameterValue,
            400,
            "DBInstanceClass",
        );
        refused(
            read(&format!("{base}&Engine=mysql")),
            ErrorCode::InvalidParameterValue,
            400,
            "Engine",
        );
        refused(
            read(&format!("{base}&MultiAZ=true")),
            ErrorCode::InvalidParameterCombination,
            400,
            "MultiAZ",
        );
        refused(
            read(&format!("{base}&DBParameterGroupName=custom")),
            ErrorCode::DbParameterGroupNotFound,
            404,
            "custom",
        );
    }
}
