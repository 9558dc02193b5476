//! `StopDBInstance`'s input and output; a snapshot on stop is not offered.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StopDBInstance.html>

use super::instance_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopDbInstanceInput {
    /// An identifier or an instance ARN, as given.
    pub identifier: String,
}

impl StopDbInstanceInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let identifier = params.required("DBInstanceIdentifier")?.to_owned();
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
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_snapshot_on_stop_is_refused() {
        let read = |body: &str| StopDbInstanceInput::from_params(&form(body));
        assert_eq!(read("DBInstanceIdentifier=db1").unwrap().identifier, "db1");
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
