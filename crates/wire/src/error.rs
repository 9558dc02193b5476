//! AWS error codes with their HTTP status and fault type, and the `ErrorResponse` envelope.

use serde::Serialize;

/// The codes this service answers, each with the status AWS uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidAction,
    MissingParameter,
    InvalidParameterValue,
    InvalidParameterCombination,
    PayloadTooLarge,
    InternalFailure,
    ServiceUnavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidAction => "InvalidAction",
            Self::MissingParameter => "MissingParameter",
            Self::InvalidParameterValue => "InvalidParameterValue",
            Self::InvalidParameterCombination => "InvalidParameterCombination",
            Self::PayloadTooLarge => "RequestEntityTooLarge",
            Self::InternalFailure => "InternalFailure",
            Self::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidAction
            | Self::MissingParameter
            | Self::InvalidParameterValue
            | Self::InvalidParameterCombination => 400,
            Self::PayloadTooLarge => 413,
            Self::InternalFailure => 500,
            Self::ServiceUnavailable => 503,
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
        quick_xml::se::to_string(&envelope).unwrap_or_else(|_| {
            format!(
                "<ErrorResponse><Error><Code>{}</Code></Error></ErrorResponse>",
                self.code.as_str()
            )
        })
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
        assert_eq!(ErrorCode::PayloadTooLarge.http_status(), 413);
    }
}
