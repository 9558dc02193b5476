//! `DeleteUser`'s input and (empty) output: a user that holds no key, policy or group.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html>

use super::Name;
use crate::actions::empty_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteUserInput {
    pub name: String,
}

impl DeleteUserInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            name: Name::User.required(params)?,
        })
    }
}

empty_output!(DeleteUserOutput, DeleteUser);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::actions::Output;
    use crate::ErrorCode;

    #[test]
    fn a_name_is_required_and_nothing_answered() {
        assert_eq!(
            DeleteUserInput::from_params(&form("UserName=bob"))
                .unwrap()
                .name,
            "bob"
        );
        refused(
            DeleteUserInput::from_params(&form("")),
            ErrorCode::MissingParameter,
            400,
            "UserName",
        );
        assert!(!DeleteUserOutput.to_xml("r").contains("Result"));
    }
}
