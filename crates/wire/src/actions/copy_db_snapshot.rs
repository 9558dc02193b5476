//! `CopyDBSnapshot`'s input and output: a copy in this region (no `SourceRegion`, `KmsKeyId`
//! or `PreSignedUrl`; a copy shares its source's backup, so no data is copied).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBSnapshot.html>

use super::{tags, Service};
use crate::snapshot_shape::snapshot_output;
use crate::{AwsError, Params, Tag};
use cornac_domain::SnapshotIdentifier;

#[derive(Debug)]
pub struct CopyDbSnapshotInput {
    /// The source, given by identifier or snapshot ARN.
    pub source: SnapshotIdentifier,
    pub target: SnapshotIdentifier,
    pub tags: Vec<Tag>,
    /// `CopyTags`: the source's tags too.
    pub copy_tags: bool,
}

impl CopyDbSnapshotInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        for unsupported in [
            "KmsKeyId",
            "PreSignedUrl",
            "OptionGroupName",
            "TargetCustomAvailabilityZone",
        ] {
            if params.get(unsupported).is_some() {
                return Err(AwsError::invalid(
                    unsupported,
                    "snapshots here are copied within the region, unencrypted, with no option group",
                ));
            }
        }
        let target = "TargetDBSnapshotIdentifier";
        Ok(Self {
            source: service.snapshot(
                "SourceDBSnapshotIdentifier",
                params.required("SourceDBSnapshotIdentifier")?,
            )?,
            target: SnapshotIdentifier::parse_as(target, params.required(target)?)?,
            tags: tags::checked(params)?,
            copy_tags: params.bool("CopyTags")?.unwrap_or(false),
        })
    }
}

snapshot_output!(
    /// `CopyDBSnapshotResult`: the copy.
    CopyDbSnapshotOutput,
    CopyDbSnapshot
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_copy_is_read_and_what_it_cannot_do_refused() {
        let read = |body: &str| CopyDbSnapshotInput::from_params(&form(body), &service());
        let input =
            read("SourceDBSnapshotIdentifier=s1&TargetDBSnapshotIdentifier=S2&CopyTags=true")
                .unwrap();
        assert_eq!(
            (
                input.source.as_str(),
                input.target.as_str(),
                input.copy_tags
            ),
            ("s1", "s2", true)
        );
        refused(
            read("TargetDBSnapshotIdentifier=s2"),
            ErrorCode::MissingParameter,
            400,
            "SourceDBSnapshotIdentifier",
        );
        refused(
            read("SourceDBSnapshotIdentifier=s1&TargetDBSnapshotIdentifier=2x"),
            ErrorCode::InvalidParameterValue,
            400,
            "TargetDBSnapshotIdentifier",
        );
        refused(
            read("SourceDBSnapshotIdentifier=s1&TargetDBSnapshotIdentifier=s2&KmsKeyId=k"),
            ErrorCode::InvalidParameterValue,
            400,
            "KmsKeyId",
        );
        refused(
            read("SourceDBSnapshotIdentifier=s1&TargetDBSnapshotIdentifier=s2&CopyTags=maybe"),
            ErrorCode::InvalidParameterValue,
            400,
            "CopyTags",
        );
    }
}
