//! `StopDBInstance`'s input and output; a snapshot on stop is not offered.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::instance_output;
use super::Service;
use crate::{AwsError, Params};
use cornac_domain::InstanceIdentifier;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
}

impl StopDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = service.instance(
            "DBInstanceIdentifier",
            params.required("DBInstanceIdentifier")?,
        )?;
        if params.get("DBSnapshotIdentifier").is_some() {
            return Err(AwsError::invalid(
                "DBSnapshotIdentifier",
                "snapshots are not supported",
            ));
        }
        Ok(Self { identifier })
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
    fn a_snapshot_on_stop_is_refused() {
        let read = |body: &str| StopDbInstanceInput::from_params(&form(body), &service());
        assert_eq!(
            read("DBInstanceIdentifier=db1")
                .unwrap()
                .identifier
                .as_str(),
            "db1"
        );
        refused(
            read(""),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db1&DBSnapshotIdentifier=s"),
            ErrorCode::InvalidParameterValue,
            400,
            "DBSnapshotIdentifier",
        );
    }
}
