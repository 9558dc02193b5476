//! `UpdateAccessKey`'s input and (empty) output: make a key of a user (or of the caller)
//! `Active` or `Inactive`; an inactive key is refused at the next request.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html>

use super::access_key::access_key_id;
use super::{validation, Name};
use crate::actions::empty_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateAccessKeyInput {
    /// `None`: the caller.
    pub user: Option<String>,
    pub access_key_id: String,
    /// `Status=Active`.
    pub active: bool,
}

impl UpdateAccessKeyInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let user = Name::User.optional(params)?;
        let access_key_id = access_key_id(params)?;
        let active = match params.required("Status")? {
            "Active" => true,
            "Inactive" => false,
            other => {
                return Err(validation(
                    "status",
                    other,
                    "Member must satisfy enum value set: [Active, Inactive]",
                ))
            }
        };
        Ok(Self {
            user,
            access_key_id,
            active,
        })
    }
}

empty_output!(UpdateAccessKeyOutput, UpdateAccessKey);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_key_and_a_status() {
        let read = |body: &str| UpdateAccessKeyInput::from_params(&form(body));
        let id = "AccessKeyId=AKIAABCDEFGHIJKLMNOP";
        let input = read(&format!("{id}&Status=Inactive&UserName=bob")).unwrap();
        assert_eq!((input.user.as_deref(), input.active), (Some("bob"), false));
        assert!(read(&format!("{id}&Status=Active")).unwrap().active);
        refused(
            read(&format!("{id}&Status=active")),
            ErrorCode::ValidationError,
            400,
            "status",
        );
        refused(read(id), ErrorCode::MissingParameter, 400, "Status");
        refused(
            read("Status=Active"),
            ErrorCode::MissingParameter,
            400,
            "AccessKeyId",
        );
    }
}
