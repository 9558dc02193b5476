//! `ListGroupsForUser`'s input (the user and the paging) and output.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupsForUser.html>

use super::shapes::GroupShape;
use super::Members;
use crate::actions::Output;
use crate::Action;
use serde::Serialize;

pub use super::holder::HolderListInput as ListGroupsForUserInput;

/// `ListGroupsForUserResult`: one page of the user's groups.
#[derive(Debug, Clone, Serialize)]
pub struct ListGroupsForUserOutput {
    #[serde(rename = "Groups")]
    pub groups: Members<GroupShape>,
    #[serde(rename = "IsTruncated")]
    pub is_truncated: bool,
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

impl Output for ListGroupsForUserOutput {
    const ACTION: Action = Action::ListGroupsForUser;
}
