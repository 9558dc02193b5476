//! `GetUser`'s input and output: a user of the caller's account, or with no `UserName` the
//! caller itself (the account root too).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html>

use super::user::UserShape;
use super::Name;
use crate::actions::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUserInput {
    /// `None`: the caller.
    pub name: Option<String>,
}

impl GetUserInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            name: Name::User.optional(params)?,
        })
    }
}

/// `GetUserResult`.
#[derive(Debug, Clone, Serialize)]
pub struct GetUserOutput {
    #[serde(rename = "User")]
    pub user: UserShape,
}

impl Output for GetUserOutput {
    const ACTION: Action = Action::GetUser;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn the_name_is_optional() {
        let read = |body: &str| GetUserInput::from_params(&form(body));
        assert_eq!(read("").unwrap().name, None);
        assert_eq!(read("UserName=bob").unwrap().name.as_deref(), Some("bob"));
        refused(
            read("UserName=b*b"),
            ErrorCode::ValidationError,
            400,
            "userName",
        );
    }

    #[test]
    fn the_root_has_no_name_nor_path() {
        let xml = GetUserOutput {
            user: UserShape {
                path: None,
                name: None,
                user_id: "000000000000".into(),
                arn: "arn:aws:iam::000000000000:root".into(),
                create_date: "2026-11-25T03:00:00Z".into(),
                tags: None,
            },
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "<GetUserResult><User><UserId>000000000000</UserId>\
                 <Arn>arn:aws:iam::000000000000:root</Arn>\
                 <CreateDate>2026-11-25T03:00:00Z</CreateDate></User></GetUserResult>"
            ),
            "{xml}"
        );
    }
}
