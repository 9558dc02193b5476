//! `DeleteAccessKey`'s input and (empty) output: remove a key of a user (or of the caller).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccessKey.html>

use super::access_key::access_key_id;
use super::Name;
use crate::actions::empty_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteAccessKeyInput {
    /// `None`: the caller.
    pub user: Option<String>,
    pub access_key_id: String,
}

impl DeleteAccessKeyInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            user: Name::User.optional(params)?,
            access_key_id: access_key_id(params)?,
        })
    }
}

empty_output!(DeleteAccessKeyOutput, DeleteAccessKey);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_key_is_required() {
        let read = |body: &str| DeleteAccessKeyInput::from_params(&form(body));
        let input = read("AccessKeyId=AKIAABCDEFGHIJKLMNOP").unwrap();
        assert_eq!(input.user, None);
        refused(
            read("UserName=bob"),
            ErrorCode::MissingParameter,
            400,
            "AccessKeyId",
        );
    }
}
