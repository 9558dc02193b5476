//! `ApiError`, the one error type at the HTTP edge: either an AWS error the caller caused, or an
//! internal failure that is logged once (with the request id) and answered `InternalFailure`.

use cornac_inventory::{DatabaseErrorKind, QueryError};
use cornac_wire::AwsError;

#[derive(Debug)]
pub enum ApiError {
    Aws(AwsError),
    Internal(String),
}

impl From<AwsError> for ApiError {
    fn from(e: AwsError) -> Self {
        Self::Aws(e)
    }
}

impl From<cornac_domain::Invalid> for ApiError {
    fn from(e: cornac_domain::Invalid) -> Self {
        Self::Aws(AwsError::invalid(e.parameter, e.message))
    }
}

impl From<cornac_inventory::Error> for ApiError {
    fn from(e: cornac_inventory::Error) -> Self {
        match e {
            cornac_inventory::Error::Query(e) => e.into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<cornac_inventory::QueryError> for ApiError {
    fn from(e: cornac_inventory::QueryError) -> Self {
        match &e {
            QueryError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                match duplicate(info.table_name()) {
                    Some(aws) => Self::Aws(aws),
                    None => Self::Internal(format!("inventory query failed: {e}")),
                }
            }
            _ => Self::Internal(format!("inventory query failed: {e}")),
        }
    }
}

/// The AWS error for a row a unique constraint of `table` refused: the caller asked for a name
/// (or a tag key) that is taken, which a concurrent request may have taken a moment before.
fn duplicate(table: Option<&str>) -> Option<AwsError> {
    match table? {
        "db_instances" => Some(AwsError::already_exists()),
        "db_instance_tags" => Some(AwsError::combination(
            "Duplicate tag key found in request; a key may appear once in Tags.",
        )),
        _ => None,
    }
}

impl ApiError {
    /// What the caller sees; internal causes are logged here, once.
    pub fn into_aws(self, request_id: &str) -> AwsError {
        match self {
            Self::Aws(e) => e,
            Self::Internal(cause) => {
                tracing::error!(request_id, %cause, "internal failure");
                AwsError::internal()
            }
        }
    }
}
