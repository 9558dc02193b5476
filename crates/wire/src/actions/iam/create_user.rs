//! `CreateUser`'s input and output: a user of the caller's account, with a path and tags.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html>

use super::user::UserShape;
use super::{path, tags, Name};
use crate::actions::Output;
use crate::{Action, AwsError, Params, Tag};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateUserInput {
    pub name: String,
    /// `/` when not given.
    pub path: String,
    pub tags: Vec<Tag>,
}

impl CreateUserInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            name: Name::User.required(params)?,
            path: path(params)?,
            tags: tags::tags(params)?,
        })
    }
}

/// `CreateUserResult`.
#[derive(Debug, Clone, Serialize)]
pub struct CreateUserOutput {
    #[serde(rename = "User")]
    pub user: UserShape,
}

impl Output for CreateUserOutput {
    const ACTION: Action = Action::CreateUser;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_name_a_path_and_tags() {
        let input = CreateUserInput::from_params(&form(
            "UserName=Bob&Path=/ops/&Tags.member.1.Key=team&Tags.member.1.Value=db",
        ))
        .unwrap();
        assert_eq!(
            (input.name.as_str(), input.path.as_str(), input.tags.len()),
            ("Bob", "/ops/", 1)
        );
        assert_eq!(
            CreateUserInput::from_params(&form("UserName=a"))
                .unwrap()
                .path,
            "/"
        );
        let read = |body: &str| CreateUserInput::from_params(&form(body));
        refused(read(""), ErrorCode::MissingParameter, 400, "UserName");
        refused(
            read("UserName=a+b"),
            ErrorCode::ValidationError,
            400,
            "userName",
        );
        refused(
            read("UserName=a&Path=ops"),
            ErrorCode::ValidationError,
            400,
            "path",
        );
        refused(
            read("UserName=a&Tags.member.1.Key=k"),
            ErrorCode::ValidationError,
            400,
            "tags.1.member.value",
        );
    }

    #[test]
    fn the_user_renders_in_iam_order() {
        let xml = CreateUserOutput {
            user: UserShape {
                path: Some("/".into()),
                name: Some("Bob".into()),
                user_id: "AIDAABCDEFGHIJKLMNOPQ".into(),
                arn: "arn:aws:iam::000000000000:user/Bob".into(),
                create_date: "2026-11-25T03:00:00Z".into(),
                tags: None,
            },
        }
        .to_xml("r");
        assert_eq!(
            xml,
            "<CreateUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
             <CreateUserResult><User><Path>/</Path><UserName>Bob</UserName>\
             <UserId>AIDAABCDEFGHIJKLMNOPQ</UserId><Arn>arn:aws:iam::000000000000:user/Bob</Arn>\
             <CreateDate>2026-11-25T03:00:00Z</CreateDate></User></CreateUserResult>\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreateUserResponse>"
        );
    }
}
