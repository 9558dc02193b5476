//! `DeleteDBInstance`'s input and output: `SkipFinalSnapshot=true`, or a
//! `FinalDBSnapshotIdentifier` (one of the two, as RDS requires). `DeleteAutomatedBackups`
//! true (the default, as RDS) lets the instance's automated snapshots go with it; false keeps
//! them as a retained automated backup (`DescribeDBInstanceAutomatedBackups`), restorable
//! until they expire.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html>

use super::instance_output;
use super::Service;
use crate::{AwsError, Params};
use cornac_domain::{InstanceIdentifier, SnapshotIdentifier};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
    /// The snapshot the delete job takes first.
    pub final_snapshot: Option<SnapshotIdentifier>,
    /// `DeleteAutomatedBackups=false`: the automated backups are retained.
    pub retain_automated_backups: bool,
}

impl DeleteDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = service.instance(
            "DBInstanceIdentifier",
            params.required("DBInstanceIdentifier")?,
        )?;
        let skip = params.bool("SkipFinalSnapshot")?.unwrap_or(false);
        let retain_automated_backups = params.bool("DeleteAutomatedBackups")? == Some(false);
        let p = "FinalDBSnapshotIdentifier";
        match (skip, params.get(p)) {
            (true, Some(_)) => Err(AwsError::combination(
                "Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.",
            )),
            (false, None) => Err(AwsError::combination(
                "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
            )),
            (false, Some(raw)) => Ok(Self {
                identifier,
                final_snapshot: Some(SnapshotIdentifier::parse_as(p, raw)?),
                retain_automated_backups,
            }),
            (true, None) => Ok(Self {
                identifier,
                final_snapshot: None,
                retain_automated_backups,
            }),
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
    fn a_delete_skips_or_names_its_final_snapshot() {
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
            read("DBInstanceIdentifier=db1&SkipFinalSnapshot=true&DeleteAutomatedBackups=no"),
            ErrorCode::InvalidParameterValue,
            400,
            "DeleteAutomatedBackups",
        );
        let retain = |body: &str| read(body).map(|i| i.retain_automated_backups);
        assert_eq!(
            retain("DBInstanceIdentifier=db1&SkipFinalSnapshot=true&DeleteAutomatedBackups=false"),
            Ok(true)
        );
        assert_eq!(
            retain("DBInstanceIdentifier=db1&SkipFinalSnapshot=true&DeleteAutomatedBackups=true"),
            Ok(false)
        );
        assert_eq!(
            retain("DBInstanceIdentifier=db1&SkipFinalSnapshot=true"),
            Ok(false),
            "automated backups go with the instance unless asked (as RDS)"
        );
        assert_eq!(
            retain(
                "DBInstanceIdentifier=db1&FinalDBSnapshotIdentifier=f&DeleteAutomatedBackups=false"
            ),
            Ok(true)
        );
        let input = read("DBInstanceIdentifier=db1&FinalDBSnapshotIdentifier=Last").unwrap();
        assert_eq!(
            input.final_snapshot.map(|s| s.to_string()).as_deref(),
            Some("last")
        );
        refused(
            read("DBInstanceIdentifier=db1&FinalDBSnapshotIdentifier=1st"),
            ErrorCode::InvalidParameterValue,
            400,
            "FinalDBSnapshotIdentifier",
        );
    }
}
