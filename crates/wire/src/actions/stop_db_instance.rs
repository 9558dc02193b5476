//! `StopDBInstance`'s input and output, with the snapshot the stop job takes first, if any.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::instance_output;
use super::Service;
use crate::{AwsError, Params};
use cornac_domain::{InstanceIdentifier, SnapshotIdentifier};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
    /// `DBSnapshotIdentifier`: the snapshot taken before the instance stops.
    pub snapshot: Option<SnapshotIdentifier>,
}

impl StopDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = service.instance(
            "DBInstanceIdentifier",
            params.required("DBInstanceIdentifier")?,
        )?;
        let p = SnapshotIdentifier::PARAMETER;
        let snapshot = params
            .get(p)
            .map(|raw| SnapshotIdentifier::parse_as(p, raw))
            .transpose()?;
        Ok(Self {
            identifier,
            snapshot,
        })
    }
}

instance_output!(
    /// `StopDBInstanceResult`: the instance, `stopping`.
    StopDbInstanceOutput,
    StopDbInstance
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_snapshot_on_stop_is_read_and_checked() {
        let read = |body: &str| StopDbInstanceInput::from_params(&form(body), &service());
        assert_eq!(
            read("DBInstanceIdentifier=db1")
                .unwrap()
                .identifier
                .as_str(),
            "db1"
        );
        let input = read("DBInstanceIdentifier=db1&DBSnapshotIdentifier=S").unwrap();
        assert_eq!(input.snapshot.map(|s| s.to_string()).as_deref(), Some("s"));
        refused(
            read(""),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db1&DBSnapshotIdentifier=s-"),
            ErrorCode::InvalidParameterValue,
            400,
            "DBSnapshotIdentifier",
        );
    }
}
