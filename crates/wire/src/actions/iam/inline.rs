//! What the inline-policy actions of users and groups share: their inputs, checked as IAM
//! checks them (a document's characters and length, then the document itself, refused with
//! `MalformedPolicyDocument` and the fault's message), the document as IAM answers it
//! (URL-encoded, RFC 3986), and the list of names `List{User,Group}Policies` answer. See
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html>.

use super::holder::Holder;
use super::{validation, Name};
use crate::{AwsError, ErrorCode, Params};
use cornac_policy::{admissible_characters, Policy};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Serialize, Serializer};

/// The longest document IAM's API takes (`policyDocumentType`); the quotas are smaller.
const MAX_DOCUMENT: usize = 131_072;

/// `PutUserPolicy` and `PutGroupPolicy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutPolicyInput {
    pub holder: Holder,
    pub policy_name: String,
    /// A document IAM admits, as given.
    pub document: String,
}

impl PutPolicyInput {
    pub fn from_params(holder: Holder, params: &Params) -> Result<Self, AwsError> {
        let policy_name = Name::Policy.required(params)?;
        let document = params.required("PolicyDocument")?;
        if document.chars().count() > MAX_DOCUMENT {
            return Err(validation(
                "policyDocument",
                document,
                &format!("Member must have length less than or equal to {MAX_DOCUMENT}"),
            ));
        }
        if !admissible_characters(document) {
            return Err(validation(
                "policyDocument",
                document,
                "Member must satisfy regular expression pattern: \
                 [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
            ));
        }
        Policy::parse(document)
            .map_err(|e| AwsError::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
        Ok(Self {
            holder,
            policy_name,
            document: document.to_owned(),
        })
    }
}

/// `Get…Policy` and `Delete…Policy` of a user or group: one policy by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyNameInput {
    pub holder: Holder,
    pub policy_name: String,
}

impl PolicyNameInput {
    pub fn from_params(holder: Holder, params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            holder,
            policy_name: Name::Policy.required(params)?,
        })
    }
}

/// What RFC 3986 leaves unreserved; everything else is percent-encoded.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A stored document, rendered URL-encoded as IAM answers it (the SDKs decode it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument(pub String);

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&utf8_percent_encode(&self.0, ENCODED))
    }
}

/// The output of a list of inline policy names (`PolicyNames`, `IsTruncated`, `Marker` when
/// truncated).
macro_rules! policy_names_output {
    ($(#[$doc:meta])* $name:ident, $action:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $name {
            #[serde(rename = "PolicyNames")]
            pub policy_names: crate::actions::iam::Members<String>,
            #[serde(rename = "IsTruncated")]
            pub is_truncated: bool,
            #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
            pub marker: Option<String>,
        }

        impl From<crate::actions::iam::Page<String>> for $name {
            fn from(page: crate::actions::iam::Page<String>) -> Self {
                Self {
                    policy_names: page.items.into(),
                    is_truncated: page.marker.is_some(),
                    marker: page.marker,
                }
            }
        }

        impl crate::actions::Output for $name {
            const ACTION: crate::Action = crate::Action::$action;
        }
    };
}
pub(crate) use policy_names_output;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};

    fn put(body: &str) -> Result<PutPolicyInput, AwsError> {
        PutPolicyInput::from_params(Holder::User("al".into()), &form(body))
    }

    const ALLOW: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"rds:Describe*","Resource":"*"}}"#;

    fn body(name: &str, document: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("PolicyName", name);
        s.append_pair("PolicyDocument", document);
        s.finish()
    }

    #[test]
    fn documents_are_checked_as_iam_checks_them() {
        let input = put(&body("read", ALLOW)).unwrap();
        assert_eq!(
            (input.policy_name.as_str(), input.document.as_str()),
            ("read", ALLOW)
        );
        refused(
            put("PolicyName=read"),
            ErrorCode::MissingParameter,
            400,
            "PolicyDocument",
        );
        refused(
            put(&body("a b", ALLOW)),
            ErrorCode::ValidationError,
            400,
            "policyName",
        );
        refused(
            put(&body("read", &ALLOW.replace("rds:", "rds\u{100}:"))),
            ErrorCode::ValidationError,
            400,
            "policyDocument",
        );
        let long = format!("{ALLOW}{}", " ".repeat(MAX_DOCUMENT));
        refused(
            put(&body("read", &long)),
            ErrorCode::ValidationError,
            400,
            "length less than or equal to 131072",
        );
        let err = put(&body("read", "{not json")).unwrap_err();
        assert_eq!(err.code, ErrorCode::MalformedPolicyDocument);
        assert_eq!(err.code.http_status().as_u16(), 400);
        assert_eq!(err.message, "Syntax errors in policy.");
        let err = put(&body("read", &ALLOW.replace("rds:Describe*", "Describe"))).unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                ErrorCode::MalformedPolicyDocument,
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
            )
        );
    }

    #[test]
    fn names_are_required() {
        let read =
            |body: &str| PolicyNameInput::from_params(Holder::Group("g".into()), &form(body));
        assert_eq!(read("PolicyName=p").unwrap().policy_name, "p");
        refused(read(""), ErrorCode::MissingParameter, 400, "PolicyName");
    }

    #[test]
    fn documents_are_answered_url_encoded() {
        #[derive(Serialize)]
        struct Shown {
            #[serde(rename = "PolicyDocument")]
            document: PolicyDocument,
        }
        let xml = quick_xml::se::to_string_with_root(
            "R",
            &Shown {
                document: PolicyDocument("{\"a\": \"b~c-d_e.f/*\u{e9}\"}\n".into()),
            },
        )
        .unwrap();
        assert_eq!(
            xml,
            "<R><PolicyDocument>%7B%22a%22%3A%20%22b~c-d_e.f%2F%2A%C3%A9%22%7D%0A</PolicyDocument></R>"
        );
    }
}
