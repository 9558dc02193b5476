//! `ListAccessKeys`' input and output: the keys of a user, or with no `UserName` of the caller
//! (the root's keys for the account root), never their secrets; a page at a time.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html>

use super::access_key::AccessKeyMetadata;
use super::{Members, Name, Paging};
use crate::actions::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAccessKeysInput {
    /// `None`: the caller.
    pub user: Option<String>,
    pub paging: Paging,
}

impl ListAccessKeysInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            user: Name::User.optional(params)?,
            paging: Paging::from_params(params)?,
        })
    }
}

/// `ListAccessKeysResult`.
#[derive(Debug, Clone, Serialize)]
pub struct ListAccessKeysOutput {
    #[serde(rename = "AccessKeyMetadata")]
    pub keys: Members<AccessKeyMetadata>,
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    /// The key id to give as `Marker` for the next page; only when there is one.
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

impl Output for ListAccessKeysOutput {
    const ACTION: Action = Action::ListAccessKeys;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::form;

    #[test]
    fn keys_render_as_members() {
        let input = ListAccessKeysInput::from_params(&form("MaxItems=1")).unwrap();
        assert_eq!((input.user, input.paging.max_items), (None, 1));
        let xml = ListAccessKeysOutput {
            keys: vec![AccessKeyMetadata {
                user_name: None,
                access_key_id: "AKIAABCDEFGHIJKLMNOP".into(),
                status: "Inactive",
                create_date: "2026-11-25T03:00:00Z".into(),
            }]
            .into(),
            is_truncated: false,
            marker: None,
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "<AccessKeyMetadata><member><AccessKeyId>AKIAABCDEFGHIJKLMNOP</AccessKeyId>\
                 <Status>Inactive</Status><CreateDate>2026-11-25T03:00:00Z</CreateDate>\
                 </member></AccessKeyMetadata><IsTruncated>false</IsTruncated>"
            ),
            "{xml}"
        );
    }
}
