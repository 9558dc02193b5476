//! `CreateAccessKey`'s input and output: a new key of a user, or with no `UserName` of the
//! caller (a root key for the account root). The only answer that shows a secret.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html>

use super::Name;
use crate::actions::Output;
use crate::{Action, AwsError, Params};
use cornac_domain::secret::SecretString;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateAccessKeyInput {
    /// `None`: the caller.
    pub user: Option<String>,
}

impl CreateAccessKeyInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            user: Name::User.optional(params)?,
        })
    }
}

/// The new key, its secret included (`Debug` hides it).
#[derive(Debug, Clone, Serialize)]
pub struct AccessKeyShape {
    /// A root key has none.
    #[serde(rename = "UserName", skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(rename = "AccessKeyId")]
    pub access_key_id: String,
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(
        rename = "SecretAccessKey",
        serialize_with = "cornac_domain::secret::serialize"
    )]
    pub secret: SecretString,
    #[serde(rename = "CreateDate")]
    pub create_date: String,
}

/// `CreateAccessKeyResult`.
#[derive(Debug, Clone, Serialize)]
pub struct CreateAccessKeyOutput {
    #[serde(rename = "AccessKey")]
    pub access_key: AccessKeyShape,
}

impl Output for CreateAccessKeyOutput {
    const ACTION: Action = Action::CreateAccessKey;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn the_user_is_optional() {
        let read = |body: &str| CreateAccessKeyInput::from_params(&form(body));
        assert_eq!(read("").unwrap().user, None);
        assert_eq!(read("UserName=bob").unwrap().user.as_deref(), Some("bob"));
        refused(
            read("UserName=b%20b"),
            ErrorCode::ValidationError,
            400,
            "userName",
        );
    }

    #[test]
    fn the_answer_shows_the_secret_and_debug_does_not() {
        let out = CreateAccessKeyOutput {
            access_key: AccessKeyShape {
                user_name: Some("bob".into()),
                access_key_id: "AKIAABCDEFGHIJKLMNOP".into(),
                status: "Active",
                secret: SecretString::from("s3cr3t"),
                create_date: "2026-11-25T03:00:00Z".into(),
            },
        };
        assert!(!format!("{out:?}").contains("s3cr3t"));
        assert!(out.to_xml("r").contains(
            "<AccessKey><UserName>bob</UserName><AccessKeyId>AKIAABCDEFGHIJKLMNOP</AccessKeyId>\
             <Status>Active</Status><SecretAccessKey>s3cr3t</SecretAccessKey>\
             <CreateDate>2026-11-25T03:00:00Z</CreateDate></AccessKey>"
        ));
    }
}
