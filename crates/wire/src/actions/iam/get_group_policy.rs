//! `GetGroupPolicy`'s output, the document URL-encoded as IAM answers it; its input is a
//! [`PolicyNameInput`](super::inline::PolicyNameInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroupPolicy.html>

use super::inline::PolicyDocument;
use crate::actions::Output;
use crate::Action;
use serde::Serialize;

/// `GetGroupPolicyResult`.
#[derive(Debug, Clone, Serialize)]
pub struct GetGroupPolicyOutput {
    #[serde(rename = "GroupName")]
    pub group_name: String,
    #[serde(rename = "PolicyName")]
    pub policy_name: String,
    #[serde(rename = "PolicyDocument")]
    pub policy_document: PolicyDocument,
}

impl Output for GetGroupPolicyOutput {
    const ACTION: Action = Action::GetGroupPolicy;
}
