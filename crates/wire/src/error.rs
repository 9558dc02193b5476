//! AWS error codes with their HTTP status and fault type, and the `ErrorResponse` envelope.

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
            Self::InternalFailure => "InternalFailure",
            Self::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    pub fn http_status(self) -> u16 {
        match self {
            Self::MissingAuthenticationToken
            | Self::InvalidClientTokenId
            | Self::SignatureDoesNotMatch => 403,
            Self::DbInstanceNotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::RequestTimeout => 408,
            Self::RequestEntityTooLarge => 413,
            Self::InternalFailure => 500,
            Self::ServiceUnavailable => 503,
            _ => 400,
        }
    }

    /// `Sender` for the caller's faults, `Receiver` for ours.
    pub fn fault(self) -> &'static str {
        if self.http_status() < 500 {
            "Sender"
        } else {
            "Receiver"
        }
    }
}

/// An error as the client will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub code: ErrorCode,
    pub message: String,
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

    /// RDS's answer to a tag key given twice in one request.
    pub fn duplicate_tag(key: &str) -> Self {
        Self::combination(format!(
            "Duplicate tag key found in request: {key:?}; a key may appear once in Tags."
        ))
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
        let echoed = AwsError::new(ErrorCode::InvalidAction, "operation a\u{1}b\u{0}\r");
        assert!(echoed
            .to_xml("r")
            .contains("<Message>operation a\u{FFFD}b\u{FFFD}&#xD;</Message>"));
    }
}
