//! `AddUserToGroup`'s input (shared with `RemoveUserFromGroup`) and output (none).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html>

use super::Name;
use crate::actions::empty_output;
use crate::{AwsError, Params};

/// A user and a group, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipInput {
    pub group_name: String,
    pub user_name: String,
}

impl MembershipInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            group_name: Name::Group.required(params)?,
            user_name: Name::User.required(params)?,
        })
    }
}

empty_output!(AddUserToGroupOutput, AddUserToGroup);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::actions::Output;
    use crate::ErrorCode;

    #[test]
    fn a_group_and_a_user() {
        let read = |body: &str| MembershipInput::from_params(&form(body));
        assert_eq!(
            read("GroupName=ops&UserName=al").unwrap(),
            MembershipInput {
                group_name: "ops".into(),
                user_name: "al".into()
            }
        );
        refused(
            read("GroupName=ops"),
            ErrorCode::MissingParameter,
            400,
            "UserName",
        );
        refused(
            read("UserName=al"),
            ErrorCode::MissingParameter,
            400,
            "GroupName",
        );
        assert!(!AddUserToGroupOutput.to_xml("r").contains("Result"));
    }
}
