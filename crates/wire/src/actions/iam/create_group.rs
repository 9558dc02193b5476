//! `CreateGroup`'s input and output.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html>

use super::shapes::GroupShape;
use super::{path, Name};
use crate::actions::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateGroupInput {
    pub group_name: String,
    pub path: String,
}

impl CreateGroupInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            group_name: Name::Group.required(params)?,
            path: path(params)?,
        })
    }
}

/// `CreateGroupResult`: the new group.
#[derive(Debug, Clone, Serialize)]
pub struct CreateGroupOutput {
    #[serde(rename = "Group")]
    pub group: GroupShape,
}

impl Output for CreateGroupOutput {
    const ACTION: Action = Action::CreateGroup;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_name_and_a_path() {
        let read = |body: &str| CreateGroupInput::from_params(&form(body));
        assert_eq!(
            read("GroupName=ops").unwrap(),
            CreateGroupInput {
                group_name: "ops".into(),
                path: "/".into()
            }
        );
        assert_eq!(read("GroupName=ops&Path=/a/").unwrap().path, "/a/");
        refused(read(""), ErrorCode::MissingParameter, 400, "GroupName");
        refused(
            read("GroupName=o+p"),
            ErrorCode::ValidationError,
            400,
            "groupName",
        );
        refused(
            read("GroupName=ops&Path=a"),
            ErrorCode::ValidationError,
            400,
            "path",
        );
    }

    #[test]
    fn the_group_is_rendered_whole() {
        let xml = CreateGroupOutput {
            group: GroupShape {
                path: "/".into(),
                group_name: "ops".into(),
                group_id: "AGPAABCDEFGHIJKLMNOPQ".into(),
                arn: "arn:aws:iam::000000000000:group/ops".into(),
                create_date: "2026-12-02T10:20:30Z".into(),
            },
        }
        .to_xml("r");
        assert!(
            xml.starts_with(
                "<CreateGroupResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
                 <CreateGroupResult><Group><Path>/</Path><GroupName>ops</GroupName>\
                 <GroupId>AGPAABCDEFGHIJKLMNOPQ</GroupId>\
                 <Arn>arn:aws:iam::000000000000:group/ops</Arn>\
                 <CreateDate>2026-12-02T10:20:30Z</CreateDate></Group></CreateGroupResult>"
            ),
            "{xml}"
        );
    }
}
