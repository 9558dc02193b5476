//! IAM's `User` shape, as `CreateUser`, `GetUser` and `ListUsers` answer it. The account root
//! (`GetUser` signed with a root key) has no name or path: its id is the account's and its ARN
//! `arn:aws:iam::<account>:root`, as AWS answers.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html>

use super::Members;
use crate::shapes::TagOut;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct UserShape {
    #[serde(rename = "Path", skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(rename = "UserName", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "UserId")]
    pub user_id: String,
    #[serde(rename = "Arn")]
    pub arn: String,
    #[serde(rename = "CreateDate")]
    pub create_date: String,
    /// Only where IAM shows them (`GetUser`, `CreateUser`), and only when there are some.
    #[serde(rename = "Tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Members<TagOut>>,
}
