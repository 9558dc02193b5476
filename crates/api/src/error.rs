//! `ApiError`, the one error type at the HTTP edge: either an AWS error the caller caused, or an
//! internal failure that is logged once (with the request id) and answered `InternalFailure`.

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
        Self::Internal(e.to_string())
    }
}

impl From<cornac_inventory::QueryError> for ApiError {
    fn from(e: cornac_inventory::QueryError) -> Self {
        Self::Internal(format!("inventory query failed: {e}"))
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
