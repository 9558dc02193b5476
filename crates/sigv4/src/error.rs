//! Verification failures, typed: one variant an AWS error code.

/// Each variant is the AWS error code of the same name (the API's one error mapping, in
/// `api/src/error.rs`, gives its HTTP status); the text is AWS-like and never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    #[error("{0}")]
    MissingAuthenticationToken(String),
    #[error("{0}")]
    IncompleteSignature(String),
    #[error("{0}")]
    InvalidClientTokenId(String),
    #[error("{0}")]
    SignatureDoesNotMatch(String),
    #[error("{0}")]
    RequestExpired(String),
}
