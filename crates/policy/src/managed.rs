//! The AWS-managed policies Cornac knows, by ARN: their documents as AWS publishes them (each
//! one's default version), parsed by the same parser as any other. See
//! <https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html>.

use crate::document::Policy;
use crate::error::Malformed;

/// One AWS-managed policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagedPolicy {
    pub name: &'static str,
    /// `arn:aws:iam::aws:policy/<name>`.
    pub arn: &'static str,
    /// Its default version's id, and when AWS made that version.
    pub version_id: &'static str,
    pub version_created: &'static str,
    /// The default version's document.
    pub document: &'static str,
}

macro_rules! managed {
    ($name:literal, $version:literal, $created:literal) => {
        ManagedPolicy {
            name: $name,
            arn: concat!("arn:aws:iam::aws:policy/", $name),
            version_id: $version,
            version_created: $created,
            document: include_str!(concat!("managed/", $name, ".json")),
        }
    };
}

/// Every AWS-managed policy Cornac serves.
pub const AWS_MANAGED: [ManagedPolicy; 5] = [
    managed!("AdministratorAccess", "v1", "2015-02-06T18:39:46Z"),
    managed!("AmazonRDSFullAccess", "v14", "2023-08-17T23:00:17Z"),
    managed!("AmazonRDSReadOnlyAccess", "v7", "2023-04-14T12:32:09Z"),
    managed!("IAMFullAccess", "v2", "2019-06-21T19:40:00Z"),
    managed!("IAMReadOnlyAccess", "v4", "2018-01-25T19:11:27Z"),
];

impl ManagedPolicy {
    /// The AWS-managed policy of this ARN, if Cornac knows it.
    pub fn by_arn(arn: &str) -> Option<&'static ManagedPolicy> {
        AWS_MANAGED.iter().find(|p| p.arn == arn)
    }

    /// Its document, parsed (every one parses: `tests/managed.rs`).
    pub fn policy(&self) -> Result<Policy, Malformed> {
        Policy::parse(self.document)
    }
}
