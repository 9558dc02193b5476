//! AWS error codes with their HTTP status and fault type, and the `ErrorResponse` envelope.

use http::StatusCode;
use serde::Serialize;

/// The codes this service answers, each with the HTTP status AWS uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidAction,
    MethodNotAllowed,
    MissingParameter,
    InvalidParameterValue,
    InvalidParameterCombination,
    RequestEntityTooLarge,
    RequestTimeout,
    MissingAuthenticationToken,
    IncompleteSignature,
    InvalidClientTokenId,
    SignatureDoesNotMatch,
    RequestExpired,
    DbInstanceNotFound,
    DbInstanceAlreadyExists,
    InvalidDbInstanceState,
    InstanceQuotaExceeded,
    StorageQuotaExceeded,
    DbSnapshotNotFound,
    DbSnapshotAlreadyExists,
    InvalidDbSnapshotState,
    SnapshotQuotaExceeded,
    DbParameterGroupNotFound,
    PointInTimeRestoreNotEnabled,
    InvalidRestore,
    DbInstanceAutomatedBackupNotFound,
    InvalidDbInstanceAutomatedBackupState,
    AccessDenied,
    NoSuchEntity,
    EntityAlreadyExists,
    DeleteConflict,
    LimitExceeded,
    MalformedPolicyDocument,
    ValidationError,
    InvalidInput,
    InternalFailure,
    ServiceUnavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidAction => "InvalidAction",
            Self::MethodNotAllowed => "MethodNotAllowed",
            Self::MissingParameter => "MissingParameter",
            Self::InvalidParameterValue => "InvalidParameterValue",
            Self::InvalidParameterCombination => "InvalidParameterCombination",
            Self::RequestEntityTooLarge => "RequestEntityTooLarge",
            Self::RequestTimeout => "RequestTimeout",
            Self::MissingAuthenticationToken => "MissingAuthenticationToken",
            Self::IncompleteSignature => "IncompleteSignature",
            Self::InvalidClientTokenId => "InvalidClientTokenId",
            Self::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            Self::RequestExpired => "RequestExpired",
            Self::DbInstanceNotFound => "DBInstanceNotFound",
            Self::DbInstanceAlreadyExists => "DBInstanceAlreadyExists",
            Self::InvalidDbInstanceState => "InvalidDBInstanceState",
            Self::InstanceQuotaExceeded => "InstanceQuotaExceeded",
            Self::StorageQuotaExceeded => "StorageQuotaExceeded",
            Self::DbSnapshotNotFound => "DBSnapshotNotFound",
            Self::DbSnapshotAlreadyExists => "DBSnapshotAlreadyExists",
            Self::InvalidDbSnapshotState => "InvalidDBSnapshotState",
            Self::SnapshotQuotaExceeded => "SnapshotQuotaExceeded",
            Self::DbParameterGroupNotFound => "DBParameterGroupNotFound",
            Self::PointInTimeRestoreNotEnabled => "PointInTimeRestoreNotEnabled",
            // The code is the shape's name, fault suffix included (botocore's model).
            Self::InvalidRestore => "InvalidRestoreFault",
            Self::DbInstanceAutomatedBackupNotFound => "DBInstanceAutomatedBackupNotFound",
            Self::InvalidDbInstanceAutomatedBackupState => "InvalidDBInstanceAutomatedBackupState",
            Self::AccessDenied => "AccessDenied",
            Self::NoSuchEntity => "NoSuchEntity",
            Self::EntityAlreadyExists => "EntityAlreadyExists",
            Self::DeleteConflict => "DeleteConflict",
            Self::LimitExceeded => "LimitExceeded",
            Self::MalformedPolicyDocument => "MalformedPolicyDocument",
            Self::ValidationError => "ValidationError",
            Self::InvalidInput => "InvalidInput",
            Self::InternalFailure => "InternalFailure",
            Self::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    /// The HTTP status AWS answers this code with.
    pub fn http_status(self) -> StatusCode {
        match self {
            Self::InvalidAction
            | Self::MissingParameter
            | Self::InvalidParameterValue
            | Self::InvalidParameterCombination
            | Self::IncompleteSignature
            | Self::RequestExpired
            | Self::DbInstanceAlreadyExists
            | Self::InvalidDbInstanceState
            | Self::InstanceQuotaExceeded
            | Self::StorageQuotaExceeded
            | Self::DbSnapshotAlreadyExists
            | Self::InvalidDbSnapshotState
            | Self::SnapshotQuotaExceeded
            | Self::PointInTimeRestoreNotEnabled
            | Self::InvalidRestore
            | Self::InvalidDbInstanceAutomatedBackupState
            | Self::MalformedPolicyDocument
            | Self::ValidationError
            | Self::InvalidInput => StatusCode::BAD_REQUEST,
            Self::MissingAuthenticationToken
            | Self::InvalidClientTokenId
            | Self::SignatureDoesNotMatch
            | Self::AccessDenied => StatusCode::FORBIDDEN,
            Self::DbInstanceNotFound
            | Self::DbSnapshotNotFound
            | Self::DbParameterGroupNotFound
            | Self::DbInstanceAutomatedBackupNotFound
            | Self::NoSuchEntity => StatusCode::NOT_FOUND,
            // IAM's statuses (botocore's iam model).
            Self::EntityAlreadyExists | Self::DeleteConflict | Self::LimitExceeded => {
                StatusCode::CONFLICT
            }
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::RequestEntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InternalFailure => StatusCode::INTERNAL_SERVER_ERROR,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// `Sender` for the caller's faults, `Receiver` for ours.
    pub fn fault(self) -> &'static str {
        if self.http_status().is_server_error() {
            "Receiver"
        } else {
            "Sender"
        }
    }
}

/// An error as the client will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub code: ErrorCode,
    pub message: String,
}

impl std::fmt::Display for AwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for AwsError {}

/// A value `domain` refused is `InvalidParameterValue` naming its parameter.
impl From<cornac_domain::Invalid> for AwsError {
    fn from(e: cornac_domain::Invalid) -> Self {
        Self::invalid(e.parameter, e.message)
    }
}

#[derive(Serialize)]
#[serde(rename = "ErrorResponse")]
struct Envelope<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'a str,
    #[serde(rename = "Error")]
    error: Body<'a>,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "Type")]
    fault: &'a str,
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
}

impl AwsError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn missing(parameter: &str) -> Self {
        Self::new(
            ErrorCode::MissingParameter,
            format!("The request must contain the parameter {parameter}"),
        )
    }

    pub fn invalid(parameter: &str, why: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorCode::InvalidParameterValue,
            format!("Invalid value for parameter {parameter}: {why}"),
        )
    }

    pub fn combination(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameterCombination, message)
    }

    pub fn not_found(identifier: &str) -> Self {
        Self::new(
            ErrorCode::DbInstanceNotFound,
            format!("DBInstance {identifier} not found."),
        )
    }

    /// RDS's answer to a tag key given twice in one request: named when the form shows it,
    /// unnamed when the inventory's unique constraint caught it.
    pub fn duplicate_tag(key: Option<&str>) -> Self {
        let named = key.map(|k| format!(": {k:?}")).unwrap_or_default();
        Self::combination(format!(
            "Duplicate tag key found in request{named}; a key may appear once in Tags."
        ))
    }

    pub fn snapshot_not_found(identifier: &str) -> Self {
        Self::new(
            ErrorCode::DbSnapshotNotFound,
            format!("DBSnapshot {identifier} not found."),
        )
    }

    /// No automated backups are kept of `what` (a resource id, an ARN or an identifier).
    pub fn automated_backup_not_found(what: &str) -> Self {
        Self::new(
            ErrorCode::DbInstanceAutomatedBackupNotFound,
            format!("DBInstanceAutomatedBackup {what} not found."),
        )
    }

    pub fn snapshot_already_exists() -> Self {
        Self::new(
            ErrorCode::DbSnapshotAlreadyExists,
            "Cannot create the snapshot because a snapshot with the identifier already exists.",
        )
    }

    pub fn already_exists() -> Self {
        Self::new(
            ErrorCode::DbInstanceAlreadyExists,
            "DB instance already exists",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            ErrorCode::InternalFailure,
            "The request processing has failed because of an unknown error, exception or failure.",
        )
    }

    /// `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
    pub fn to_xml(&self, request_id: &str) -> String {
        let envelope = Envelope {
            xmlns: crate::RDS_NAMESPACE,
            error: Body {
                fault: self.code.fault(),
                code: self.code.as_str(),
                message: &self.message,
            },
            request_id,
        };
        // Serialising plain strings into XML cannot fail; keep a well-formed answer if it does.
        // A message may echo the caller's text: the serialiser escapes its markup, and
        // `xml_safe` whatever XML 1.0 cannot carry.
        crate::text::xml_safe(quick_xml::se::to_string(&envelope).unwrap_or_else(|_| {
            format!(
                "<ErrorResponse><Error><Code>{}</Code></Error></ErrorResponse>",
                self.code.as_str()
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelope_is_aws_shaped() {
        let e = AwsError::new(
            ErrorCode::InvalidAction,
            "Could not find operation <Nope> & co",
        );
        assert_eq!(
            e.to_xml("rid-1"),
            "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type>\
             <Code>InvalidAction</Code><Message>Could not find operation &lt;Nope&gt; &amp; co</Message>\
             </Error><RequestId>rid-1</RequestId></ErrorResponse>"
        );
        assert_eq!(ErrorCode::InternalFailure.fault(), "Receiver");
        assert_eq!(ErrorCode::RequestEntityTooLarge.http_status(), 413);
        assert_eq!(ErrorCode::RequestExpired.http_status(), 400);
        assert_eq!(ErrorCode::SignatureDoesNotMatch.http_status(), 403);
        // As botocore's rds model: DBSnapshotNotFound is 404, the other snapshot faults 400.
        assert_eq!(ErrorCode::DbSnapshotNotFound.http_status(), 404);
        for code in [
            ErrorCode::DbSnapshotAlreadyExists,
            ErrorCode::InvalidDbSnapshotState,
            ErrorCode::SnapshotQuotaExceeded,
        ] {
            assert_eq!((code.http_status().as_u16(), code.fault()), (400, "Sender"));
        }
        assert_eq!(
            ErrorCode::InvalidDbSnapshotState.as_str(),
            "InvalidDBSnapshotState"
        );
        // Point-in-time restore's faults, as botocore's rds model spells them: both 400.
        assert_eq!(
            ErrorCode::PointInTimeRestoreNotEnabled.as_str(),
            "PointInTimeRestoreNotEnabled"
        );
        assert_eq!(ErrorCode::InvalidRestore.as_str(), "InvalidRestoreFault");
        for code in [
            ErrorCode::PointInTimeRestoreNotEnabled,
            ErrorCode::InvalidRestore,
        ] {
            assert_eq!((code.http_status().as_u16(), code.fault()), (400, "Sender"));
        }
        // Retained automated backups' faults: not found is 404, a wrong state 400.
        let missing = AwsError::automated_backup_not_found("db-X");
        assert_eq!(missing.code.as_str(), "DBInstanceAutomatedBackupNotFound");
        assert_eq!(missing.code.http_status(), 404);
        let state = ErrorCode::InvalidDbInstanceAutomatedBackupState;
        assert_eq!(state.as_str(), "InvalidDBInstanceAutomatedBackupState");
        assert_eq!(
            (state.http_status().as_u16(), state.fault()),
            (400, "Sender")
        );
        let echoed = AwsError::new(ErrorCode::InvalidAction, "operation a\u{1}b\u{0}\r");
        assert!(echoed
            .to_xml("r")
            .contains("<Message>operation a\u{FFFD}b\u{FFFD}&#xD;</Message>"));
    }

    #[test]
    fn one_duplicate_tag_message_named_or_not() {
        let named = AwsError::duplicate_tag(Some("env"));
        assert_eq!(named.code, ErrorCode::InvalidParameterCombination);
        assert_eq!(
            named.message,
            "Duplicate tag key found in request: \"env\"; a key may appear once in Tags."
        );
        assert_eq!(
            AwsError::duplicate_tag(None).message,
            "Duplicate tag key found in request; a key may appear once in Tags."
        );
    }
}
