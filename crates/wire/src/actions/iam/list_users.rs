//! `ListUsers`' input and output: the account's users whose path starts with `PathPrefix`, by
//! name whatever its case, a page at a time (`Marker`, `MaxItems`). IAM lists users without
//! their tags.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html>

use super::user::UserShape;
use super::{validation, Members, Paging};
use crate::actions::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUsersInput {
    /// `/` (every user) when not given.
    pub path_prefix: String,
    pub paging: Paging,
}

impl ListUsersInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let path_prefix = match params.get("PathPrefix") {
            None => "/".to_owned(),
            Some(raw) => {
                let printable = raw.bytes().all(|b| (0x21..=0x7f).contains(&b));
                if raw.len() > 512 || !raw.starts_with('/') || !printable {
                    return Err(validation(
                        "pathPrefix",
                        raw,
                        "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*",
                    ));
                }
                raw.to_owned()
            }
        };
        Ok(Self {
            path_prefix,
            paging: Paging::from_params(params)?,
        })
    }
}

/// `ListUsersResult`.
#[derive(Debug, Clone, Serialize)]
pub struct ListUsersOutput {
    #[serde(rename = "Users")]
    pub users: Members<UserShape>,
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    /// The name to give as `Marker` for the next page; only when there is one.
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

impl Output for ListUsersOutput {
    const ACTION: Action = Action::ListUsers;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_prefix_and_a_page() {
        let read = |body: &str| ListUsersInput::from_params(&form(body));
        let all = read("").unwrap();
        assert_eq!((all.path_prefix.as_str(), all.paging.max_items), ("/", 100));
        let some = read("PathPrefix=/ops&MaxItems=2&Marker=bob").unwrap();
        assert_eq!(some.path_prefix, "/ops");
        assert_eq!(some.paging.marker.as_deref(), Some("bob"));
        for bad in ["PathPrefix=ops", "PathPrefix=/a+b", "PathPrefix="] {
            refused(read(bad), ErrorCode::ValidationError, 400, "pathPrefix");
        }
        refused(
            read("MaxItems=0"),
            ErrorCode::ValidationError,
            400,
            "maxItems",
        );
    }

    #[test]
    fn an_empty_page_says_it_is_the_last() {
        let xml = ListUsersOutput {
            users: Vec::new().into(),
            is_truncated: false,
            marker: None,
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "<ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult>"
            ),
            "{xml}"
        );
    }
}
