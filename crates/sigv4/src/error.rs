//! Verification failures, one variant an AWS error code.

/// Each variant is the AWS error code of the same name; the text is AWS-like and never holds a
/// secret.
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

impl SigError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingAuthenticationToken(_) => "MissingAuthenticationToken",
            Self::IncompleteSignature(_) => "IncompleteSignature",
            Self::InvalidClientTokenId(_) => "InvalidClientTokenId",
            Self::SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
            Self::RequestExpired(_) => "RequestExpired",
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            Self::IncompleteSignature(_) | Self::RequestExpired(_) => 400,
            _ => 403,
        }
    }
}
