//! What IAM's key actions share: the `AccessKeyId` parameter, a key's status, and the
//! `AccessKeyMetadata` shape (a key without its secret).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKeyMetadata.html>

use super::validation;
use crate::{AwsError, Params};
use serde::Serialize;

/// The required `AccessKeyId`: 16 to 128 letters, digits or `_`.
pub fn access_key_id(params: &Params) -> Result<String, AwsError> {
    let raw = params.required("AccessKeyId")?;
    if !(16..=128).contains(&raw.len()) {
        return Err(validation(
            "accessKeyId",
            raw,
            "Member must have length between 16 and 128 characters",
        ));
    }
    if !raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(validation(
            "accessKeyId",
            raw,
            "Member must satisfy regular expression pattern: [\\w]+",
        ));
    }
    Ok(raw.to_owned())
}

/// `Active` or `Inactive`.
pub fn status(active: bool) -> &'static str {
    if active {
        "Active"
    } else {
        "Inactive"
    }
}

/// A key as `ListAccessKeys` shows it. A root key has no `UserName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessKeyMetadata {
    #[serde(rename = "UserName", skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(rename = "AccessKeyId")]
    pub access_key_id: String,
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(rename = "CreateDate")]
    pub create_date: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn key_ids_are_checked() {
        let id = "AKIAABCDEFGHIJKLMNOP";
        assert_eq!(
            access_key_id(&form(&format!("AccessKeyId={id}"))).unwrap(),
            id
        );
        refused(
            access_key_id(&form("")),
            ErrorCode::MissingParameter,
            400,
            "AccessKeyId",
        );
        for bad in ["AKIASHORT", "AKIA-BCDEFGHIJKLMNOP"] {
            refused(
                access_key_id(&form(&format!("AccessKeyId={bad}"))),
                ErrorCode::ValidationError,
                400,
                "accessKeyId",
            );
        }
        assert_eq!((status(true), status(false)), ("Active", "Inactive"));
    }
}
