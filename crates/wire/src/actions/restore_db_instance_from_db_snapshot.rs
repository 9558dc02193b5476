//! `RestoreDBInstanceFromDBSnapshot`'s input and output: a new instance with a snapshot's data
//! and master user; its class, port, tags, deletion protection and `CopyTagsToSnapshot` may be
//! given. `DBParameterGroupName` is accepted only when it names the default group of the
//! snapshot's engine (`default.postgres<major>`): this service has no other parameter groups.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html>

use super::restore_options::RestoreOptions;
use super::{instance_output, Service};
use crate::{AwsError, Params};
use cornac_domain::{InstanceIdentifier, SnapshotIdentifier};

#[derive(Debug)]
pub struct RestoreDbInstanceFromDbSnapshotInput {
    pub identifier: InstanceIdentifier,
    /// The snapshot, given by identifier or ARN.
    pub snapshot: SnapshotIdentifier,
    /// The class (the snapshot's instance's when none), port, tags and the rest.
    pub options: RestoreOptions,
}

impl RestoreDbInstanceFromDbSnapshotInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let options = RestoreOptions::from_params(params)?;
        Ok(Self {
            identifier: InstanceIdentifier::parse(params.required("DBInstanceIdentifier")?)?,
            snapshot: service.snapshot(
                "DBSnapshotIdentifier",
                params.required("DBSnapshotIdentifier")?,
            )?,
            options,
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
    use crate::ErrorCode;

    fn read(body: &str) -> Result<RestoreDbInstanceFromDbSnapshotInput, AwsError> {
        RestoreDbInstanceFromDbSnapshotInput::from_params(&form(body), &service())
    }

    #[test]
    fn a_restore_is_read_with_its_options() {
        let input =
            read("DBInstanceIdentifier=Db2&DBSnapshotIdentifier=s1&DBInstanceClass=db.t3.small")
                .unwrap();
        assert_eq!(input.identifier.as_str(), "db2");
        assert_eq!(input.snapshot.as_str(), "s1");
        assert_eq!(input.options.class.map(|c| c.name), Some("db.t3.small"));
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
        // The options are RestoreOptions' (tested there), read here too.
        refused(
            read("DBInstanceIdentifier=db2&DBSnapshotIdentifier=s1&Port=0"),
            ErrorCode::InvalidParameterValue,
            400,
            "Port",
        );
    }
}
