//! `DeleteDBSnapshot`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSnapshot.html>

use crate::snapshot_shape::snapshot_output;
use crate::{AwsError, Params};
use cornac_domain::SnapshotIdentifier;

#[derive(Debug)]
pub struct DeleteDbSnapshotInput {
    pub snapshot: SnapshotIdentifier,
}

impl DeleteDbSnapshotInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let p = SnapshotIdentifier::PARAMETER;
        Ok(Self {
            snapshot: SnapshotIdentifier::parse_existing(p, params.required(p)?)?,
        })
    }
}

snapshot_output!(
    /// `DeleteDBSnapshotResult`: the snapshot, `deleting`.
    DeleteDbSnapshotOutput,
    DeleteDbSnapshot
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn manual_and_automated_names_are_read() {
        let read = |body: &str| DeleteDbSnapshotInput::from_params(&form(body));
        assert_eq!(
            read("DBSnapshotIdentifier=S1").unwrap().snapshot.as_str(),
            "s1"
        );
        assert!(read("DBSnapshotIdentifier=rds:db1-2026-12-01-10-00").is_ok());
        refused(
            read(""),
            ErrorCode::MissingParameter,
            400,
            "DBSnapshotIdentifier",
        );
        refused(
            read("DBSnapshotIdentifier=rds:x"),
            ErrorCode::InvalidParameterValue,
            400,
            "DBSnapshotIdentifier",
        );
    }
}
