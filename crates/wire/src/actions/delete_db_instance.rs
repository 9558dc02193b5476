//! `DeleteDBInstance`'s input and output. Final snapshots do not exist yet, so
//! `SkipFinalSnapshot=true` is required.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::instance_output;
use super::Service;
use crate::{AwsError, Params};
use cornac_domain::InstanceIdentifier;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
}

impl DeleteDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = service.instance(
            "DBInstanceIdentifier",
            params.required("DBInstanceIdentifier")?,
        )?;
        let skip = params.bool("SkipFinalSnapshot")?.unwrap_or(false);
        match (skip, params.get("FinalDBSnapshotIdentifier")) {
            (true, Some(_)) => Err(AwsError::combination(
                "Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.",
            )),
            (false, None) => Err(AwsError::combination(
                "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
            )),
            (false, Some(_)) => Err(AwsError::invalid(
                "FinalDBSnapshotIdentifier",
                "final snapshots are not supported yet; delete with SkipFinalSnapshot=true",
            )),
            (true, None) => Ok(Self { identifier }),
        }
    }
}

instance_output!(
    /// `DeleteDBInstanceResult`: the instance, `deleting`.
    DeleteDbInstanceOutput,
    DeleteDbInstance
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn only_a_delete_without_final_snapshot_is_read() {
        assert_eq!(
            DeleteDbInstanceInput::from_params(
                &form("DBInstanceIdentifier=db1&SkipFinalSnapshot=true"),
                &service()
            )
            .unwrap()
            .identifier
            .as_str(),
            "db1"
        );
        let read = |body: &str| DeleteDbInstanceInput::from_params(&form(body), &service());
        refused(
            read("SkipFinalSnapshot=true"),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db1&SkipFinalSnapshot=maybe"),
            ErrorCode::InvalidParameterValue,
            400,
            "SkipFinalSnapshot",
        );
        refused(
            read("DBInstanceIdentifier=db1&SkipFinalSnapshot=true&FinalDBSnapshotIdentifier=s"),
            ErrorCode::InvalidParameterCombination,
            400,
            "FinalDBSnapshotIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db1"),
            ErrorCode::InvalidParameterCombination,
            400,
            "SkipFinalSnapshot",
        );
        refused(
            read("DBInstanceIdentifier=db1&FinalDBSnapshotIdentifier=s"),
            ErrorCode::InvalidParameterValue,
            400,
            "FinalDBSnapshotIdentifier",
        );
    }
}
