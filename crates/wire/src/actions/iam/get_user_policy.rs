//! `GetUserPolicy`'s output, the document URL-encoded as IAM answers it; its input is a
//! [`PolicyNameInput`](super::inline::PolicyNameInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html>

use super::inline::PolicyDocument;
use crate::actions::Output;
use crate::Action;
use serde::Serialize;

/// `GetUserPolicyResult`.
#[derive(Debug, Clone, Serialize)]
pub struct GetUserPolicyOutput {
    #[serde(rename = "UserName")]
    pub user_name: String,
    #[serde(rename = "PolicyName")]
    pub policy_name: String,
    #[serde(rename = "PolicyDocument")]
    pub policy_document: PolicyDocument,
}

impl Output for GetUserPolicyOutput {
    const ACTION: Action = Action::GetUserPolicy;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_url_encoded() {
        let xml = GetUserPolicyOutput {
            user_name: "al".into(),
            policy_name: "read".into(),
            policy_document: PolicyDocument("{\"a\": 1}".into()),
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "<GetUserPolicyResult><UserName>al</UserName><PolicyName>read</PolicyName>\
                 <PolicyDocument>%7B%22a%22%3A%201%7D</PolicyDocument></GetUserPolicyResult>"
            ),
            "{xml}"
        );
    }
}
