//! IAM's `Group` shape, as CreateGroup, GetGroup and ListGroupsForUser answer it (dates as
//! [`super::date`] writes them). See
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_Group.html>.

use serde::Serialize;

/// `Group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupShape {
    #[serde(rename = "Path")]
    pub path: String,
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// `AGPA…`.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    #[serde(rename = "Arn")]
    pub arn: String,
    /// See [`super::date`].
    #[serde(rename = "CreateDate")]
    pub create_date: String,
}
