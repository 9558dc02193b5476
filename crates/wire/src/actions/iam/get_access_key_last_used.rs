//! `GetAccessKeyLastUsed`'s input and output: when a key of the caller's account was last
//! used, for which service and region; `N/A` for a key never used, as IAM answers.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html>

use super::access_key::access_key_id;
use crate::actions::Output;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAccessKeyLastUsedInput {
    pub access_key_id: String,
}

impl GetAccessKeyLastUsedInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            access_key_id: access_key_id(params)?,
        })
    }
}

/// `AccessKeyLastUsed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessKeyLastUsed {
    /// Only once the key was used.
    #[serde(rename = "LastUsedDate", skip_serializing_if = "Option::is_none")]
    pub last_used_date: Option<String>,
    #[serde(rename = "ServiceName")]
    pub service_name: String,
    #[serde(rename = "Region")]
    pub region: String,
}

impl AccessKeyLastUsed {
    /// What IAM answers for a key never used.
    pub fn never() -> Self {
        Self {
            last_used_date: None,
            service_name: "N/A".into(),
            region: "N/A".into(),
        }
    }
}

/// `GetAccessKeyLastUsedResult`.
#[derive(Debug, Clone, Serialize)]
pub struct GetAccessKeyLastUsedOutput {
    /// A root key has none.
    #[serde(rename = "UserName", skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(rename = "AccessKeyLastUsed")]
    pub last_used: AccessKeyLastUsed,
}

impl Output for GetAccessKeyLastUsedOutput {
    const ACTION: Action = Action::GetAccessKeyLastUsed;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_key_never_used_is_not_applicable() {
        refused(
            GetAccessKeyLastUsedInput::from_params(&form("")),
            ErrorCode::MissingParameter,
            400,
            "AccessKeyId",
        );
        let xml = GetAccessKeyLastUsedOutput {
            user_name: Some("bob".into()),
            last_used: AccessKeyLastUsed::never(),
        }
        .to_xml("r");
        assert!(
            xml.contains(
                "<GetAccessKeyLastUsedResult><UserName>bob</UserName><AccessKeyLastUsed>\
                 <ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>"
            ),
            "{xml}"
        );
    }
}
