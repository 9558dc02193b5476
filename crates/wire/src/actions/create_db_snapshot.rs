//! `CreateDBSnapshot`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html>

use super::tags;
use super::Service;
use crate::snapshot_shape::snapshot_output;
use crate::{AwsError, Params, Tag};
use cornac_domain::{InstanceIdentifier, SnapshotIdentifier};

#[derive(Debug)]
pub struct CreateDbSnapshotInput {
    pub snapshot: SnapshotIdentifier,
    /// Given as an identifier or an instance ARN.
    pub instance: InstanceIdentifier,
    pub tags: Vec<Tag>,
}

impl CreateDbSnapshotInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let snapshot = SnapshotIdentifier::parse_as(
            SnapshotIdentifier::PARAMETER,
            params.required(SnapshotIdentifier::PARAMETER)?,
        )?;
        Ok(Self {
            snapshot,
            instance: service.instance(
                "DBInstanceIdentifier",
                params.required("DBInstanceIdentifier")?,
            )?,
            tags: tags::checked(params)?,
        })
    }
}

snapshot_output!(
    /// `CreateDBSnapshotResult`: the snapshot, `creating`.
    CreateDbSnapshotOutput,
    CreateDbSnapshot
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::actions::Output;
    use crate::ErrorCode;

    #[test]
    fn a_request_is_read_and_bad_names_refused() {
        let read = |body: &str| CreateDbSnapshotInput::from_params(&form(body), &service());
        let input =
            read("DBSnapshotIdentifier=Snap1&DBInstanceIdentifier=db1&Tags.Tag.1.Key=k").unwrap();
        assert_eq!(
            (
                input.snapshot.as_str(),
                input.instance.as_str(),
                input.tags.len()
            ),
            ("snap1", "db1", 1)
        );
        refused(
            read("DBInstanceIdentifier=db1"),
            ErrorCode::MissingParameter,
            400,
            "DBSnapshotIdentifier",
        );
        refused(
            read("DBSnapshotIdentifier=s1"),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        for bad in ["1s", "s--1", "s-", "rds:db1-2026-12-01-10-00"] {
            refused(
                read(&format!(
                    "DBSnapshotIdentifier={bad}&DBInstanceIdentifier=db1"
                )),
                ErrorCode::InvalidParameterValue,
                400,
                "DBSnapshotIdentifier",
            );
        }
    }

    #[test]
    fn the_answer_holds_the_snapshot() {
        let xml = CreateDbSnapshotOutput {
            snapshot: crate::snapshot_shape::sample::snapshot(),
        }
        .to_xml("r");
        assert!(xml.contains("<CreateDBSnapshotResult><DBSnapshot><DBSnapshotIdentifier>s1<"));
    }
}
