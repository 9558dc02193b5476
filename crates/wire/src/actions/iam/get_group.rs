//! `GetGroup`'s input (the group and the paging of its users) and output.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html>

use super::shapes::GroupShape;
use super::user::UserShape;
use super::Members;
use crate::actions::Output;
use crate::Action;
use serde::Serialize;

pub use super::holder::HolderListInput as GetGroupInput;

/// `GetGroupResult`: the group and one page of its users.
#[derive(Debug, Clone, Serialize)]
pub struct GetGroupOutput {
    #[serde(rename = "Group")]
    pub group: GroupShape,
    #[serde(rename = "Users")]
    pub users: Members<UserShape>,
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

impl Output for GetGroupOutput {
    const ACTION: Action = Action::GetGroup;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> GroupShape {
        GroupShape {
            path: "/".into(),
            group_name: "ops".into(),
            group_id: "AGPAABCDEFGHIJKLMNOPQ".into(),
            arn: "arn:aws:iam::000000000000:group/ops".into(),
            create_date: "2026-12-02T10:20:30Z".into(),
        }
    }

    #[test]
    fn users_are_members_and_the_marker_shows_when_truncated() {
        let user = UserShape {
            path: Some("/".into()),
            name: Some("al".into()),
            user_id: "AIDAABCDEFGHIJKLMNOPQ".into(),
            arn: "arn:aws:iam::000000000000:user/al".into(),
            create_date: "2026-12-02T10:20:31Z".into(),
            tags: None,
        };
        let xml = GetGroupOutput {
            group: group(),
            users: vec![user].into(),
            is_truncated: true,
            marker: Some("al".into()),
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "</Group><Users><member><Path>/</Path><UserName>al</UserName>\
                 <UserId>AIDAABCDEFGHIJKLMNOPQ</UserId><Arn>arn:aws:iam::000000000000:user/al</Arn>\
                 <CreateDate>2026-12-02T10:20:31Z</CreateDate></member></Users>\
                 <IsTruncated>true</IsTruncated><Marker>al</Marker></GetGroupResult>"
            ),
            "{xml}"
        );
        let empty = GetGroupOutput {
            group: group(),
            users: Vec::new().into(),
            is_truncated: false,
            marker: None,
        }
        .to_xml("r");
        assert!(
            empty.contains("</Group><Users/><IsTruncated>false</IsTruncated></GetGroupResult>"),
            "{empty}"
        );
    }
}
