//! STS `GetCallerIdentity`'s output (it takes no parameters).
//! <https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html>

use super::Output;
use crate::Action;
use serde::Serialize;

/// `GetCallerIdentityResult`.
#[derive(Debug, Clone, Serialize)]
pub struct GetCallerIdentityOutput {
    #[serde(rename = "UserId")]
    pub user_id: String,
    #[serde(rename = "Account")]
    pub account: String,
    #[serde(rename = "Arn")]
    pub arn: String,
}

impl Output for GetCallerIdentityOutput {
    const ACTION: Action = Action::GetCallerIdentity;
}
