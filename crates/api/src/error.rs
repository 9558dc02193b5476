//! `ApiError`, the one error type at the HTTP edge, and the one mapping from every failure to
//! what the caller sees: an AWS error the caller caused (its code gives the HTTP status,
//! `wire::ErrorCode`), or an internal failure, logged once with the request id and its source
//! chain, and answered `InternalFailure`. SigV4's typed failures and the inventory's unique
//! violations are translated here and nowhere else.

use cornac_inventory::{DatabaseErrorKind, QueryError};
use cornac_sigv4::SigError;
use cornac_wire::{AwsError, ErrorCode};

type Source = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Aws(AwsError),
    /// What failed (`context`), and why (`source`, with its own chain), for the log only.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        source: Source,
    },
}

impl ApiError {
    pub fn internal(context: &'static str, source: impl Into<Source>) -> Self {
        Self::Internal {
            context,
            source: source.into(),
        }
    }
}

impl From<AwsError> for ApiError {
    fn from(e: AwsError) -> Self {
        Self::Aws(e)
    }
}

impl From<cornac_domain::Invalid> for ApiError {
    fn from(e: cornac_domain::Invalid) -> Self {
        Self::Aws(e.into())
    }
}

/// Each SigV4 failure is the AWS code of its name; its text never holds a secret.
impl From<SigError> for ApiError {
    fn from(e: SigError) -> Self {
        let code = match e {
            SigError::MissingAuthenticationToken(_) => ErrorCode::MissingAuthenticationToken,
            SigError::IncompleteSignature(_) => ErrorCode::IncompleteSignature,
            SigError::InvalidClientTokenId(_) => ErrorCode::InvalidClientTokenId,
            SigError::SignatureDoesNotMatch(_) => ErrorCode::SignatureDoesNotMatch,
            SigError::RequestExpired(_) => ErrorCode::RequestExpired,
        };
        Self::Aws(AwsError::new(code, e.to_string()))
    }
}

impl From<cornac_inventory::Error> for ApiError {
    fn from(e: cornac_inventory::Error) -> Self {
        match e {
            cornac_inventory::Error::Query(e) => e.into(),
            other => Self::internal("inventory failed", other),
        }
    }
}

/// A refused lifecycle operation is the instance's or the snapshot's state (or the instance's
/// deletion protection).
impl From<cornac_jobs::lifecycle::Error> for ApiError {
    fn from(e: cornac_jobs::lifecycle::Error) -> Self {
        use cornac_jobs::lifecycle::Error;
        match e {
            Error::Refused { .. } => {
                Self::Aws(AwsError::new(ErrorCode::InvalidDbInstanceState, e.to_string()))
            }
            Error::Protected(_) => Self::Aws(AwsError::combination(
                "Cannot delete protected DB Instance, please disable deletion protection and try again.",
            )),
            Error::Gone => Self::Aws(AwsError::new(
                ErrorCode::DbInstanceNotFound,
                "The DB instance no longer exists.",
            )),
            Error::SnapshotRefused { .. } | Error::SnapshotInUse { .. } => {
                Self::Aws(AwsError::new(ErrorCode::InvalidDbSnapshotState, e.to_string()))
            }
            Error::SnapshotGone => Self::Aws(AwsError::new(
                ErrorCode::DbSnapshotNotFound,
                "The DB snapshot no longer exists.",
            )),
            Error::RetainedInUse { .. } => Self::Aws(AwsError::new(
                ErrorCode::InvalidDbInstanceAutomatedBackupState,
                e.to_string(),
            )),
            Error::RetainedGone => Self::Aws(AwsError::new(
                ErrorCode::DbInstanceAutomatedBackupNotFound,
                "The retained automated backup no longer exists.",
            )),
            Error::Corrupt(_) => Self::internal("lifecycle refused a corrupt request", e),
            Error::Inventory(e) => e.into(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        if let QueryError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = &e {
            if let Some(aws) = duplicate(info.table_name()) {
                return Self::Aws(aws);
            }
        }
        Self::internal("inventory query failed", e)
    }
}

/// The AWS error for a row a unique constraint of `table` refused: the caller asked for a name
/// (or a tag key) that is taken, which a concurrent request may have taken a moment before.
fn duplicate(table: Option<&str>) -> Option<AwsError> {
    match table? {
        "db_instances" => Some(AwsError::already_exists()),
        "db_instance_tags" | "db_snapshot_tags" => Some(AwsError::duplicate_tag(None)),
        "db_snapshots" => Some(AwsError::snapshot_already_exists()),
        _ => None,
    }
}

impl ApiError {
    /// What the caller sees; internal causes are logged here, once, with their source chain.
    pub fn into_aws(self, request_id: &str) -> AwsError {
        match self {
            Self::Aws(e) => e,
            internal @ Self::Internal { .. } => {
                let cause = chain(&internal);
                tracing::error!(request_id, %cause, "internal failure");
                AwsError::internal()
            }
        }
    }
}

/// `e: its source: its source's source…`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(source) = next {
        text.push_str(": ");
        text.push_str(&source.to_string());
        next = source.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigv4_failures_map_to_their_codes_and_statuses() {
        for (e, code, status) in [
            (
                SigError::MissingAuthenticationToken("m".into()),
                "MissingAuthenticationToken",
                403,
            ),
            (
                SigError::IncompleteSignature("m".into()),
                "IncompleteSignature",
                400,
            ),
            (
                SigError::InvalidClientTokenId("m".into()),
                "InvalidClientTokenId",
                403,
            ),
            (
                SigError::SignatureDoesNotMatch("m".into()),
                "SignatureDoesNotMatch",
                403,
            ),
            (SigError::RequestExpired("m".into()), "RequestExpired", 400),
        ] {
            let aws = ApiError::from(e).into_aws("r");
            assert_eq!(
                (
                    aws.code.as_str(),
                    aws.code.http_status().as_u16(),
                    aws.message.as_str()
                ),
                (code, status, "m")
            );
        }
    }

    #[derive(Debug, thiserror::Error)]
    #[error("the socket said no")]
    struct Root;

    #[derive(Debug, thiserror::Error)]
    #[error("pool timed out")]
    struct Middle(#[source] Root);

    #[test]
    fn internal_failures_keep_their_chain_for_the_log_only() {
        let e = ApiError::internal("inventory unavailable", Middle(Root));
        assert_eq!(
            chain(&e),
            "inventory unavailable: pool timed out: the socket said no"
        );
        let aws = e.into_aws("r");
        assert_eq!(aws, AwsError::internal());
        assert!(!aws.message.contains("socket"));
    }

    #[test]
    fn a_domain_refusal_names_its_parameter() {
        let aws = ApiError::from(cornac_domain::Invalid::new("DBName", "too long")).into_aws("r");
        assert_eq!(aws.code, ErrorCode::InvalidParameterValue);
        assert_eq!(aws.message, "Invalid value for parameter DBName: too long");
    }
}
