//! `UntagUser`'s input and (empty) output: remove tags of a user by key, whatever its case;
//! absent keys are ignored.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagUser.html>

use super::{tags, Name};
use crate::actions::empty_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntagUserInput {
    pub name: String,
    /// At least one.
    pub keys: Vec<String>,
}

impl UntagUserInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let name = Name::User.required(params)?;
        let keys = tags::keys(params)?;
        if keys.is_empty() {
            return Err(AwsError::missing("TagKeys"));
        }
        Ok(Self { name, keys })
    }
}

empty_output!(UntagUserOutput, UntagUser);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_name_and_keys_are_required() {
        let read = |body: &str| UntagUserInput::from_params(&form(body));
        assert_eq!(
            read("UserName=bob&TagKeys.member.1=k").unwrap().keys,
            vec!["k"]
        );
        refused(
            read("UserName=bob"),
            ErrorCode::MissingParameter,
            400,
            "TagKeys",
        );
    }
}
