//! `ListUserTags`' input and output: a user's tags by key, a page at a time.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserTags.html>

use super::{Members, Name, Paging};
use crate::actions::Output;
use crate::shapes::TagOut;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUserTagsInput {
    pub name: String,
    pub paging: Paging,
}

impl ListUserTagsInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            name: Name::User.required(params)?,
            paging: Paging::from_params(params)?,
        })
    }
}

/// `ListUserTagsResult`.
#[derive(Debug, Clone, Serialize)]
pub struct ListUserTagsOutput {
    #[serde(rename = "Tags")]
    pub tags: Members<TagOut>,
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    /// The key to give as `Marker` for the next page; only when there is one.
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

impl Output for ListUserTagsOutput {
    const ACTION: Action = Action::ListUserTags;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_name_and_a_page() {
        let read = |body: &str| ListUserTagsInput::from_params(&form(body));
        let input = read("UserName=bob&MaxItems=1").unwrap();
        assert_eq!((input.name.as_str(), input.paging.max_items), ("bob", 1));
        refused(read(""), ErrorCode::MissingParameter, 400, "UserName");
        let xml = ListUserTagsOutput {
            tags: super::super::tags::shape(vec![("k".into(), String::new())]),
            is_truncated: true,
            marker: Some("k".into()),
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "<ListUserTagsResult><Tags><member><Key>k</Key><Value/></member></Tags>\
                 <IsTruncated>true</IsTruncated><Marker>k</Marker></ListUserTagsResult>"
            ),
            "{xml}"
        );
    }
}
