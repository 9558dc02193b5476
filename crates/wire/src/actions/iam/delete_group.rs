//! `DeleteGroup`'s input and output (none).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html>

use super::Name;
use crate::actions::empty_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteGroupInput {
    pub group_name: String,
}

impl DeleteGroupInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            group_name: Name::Group.required(params)?,
        })
    }
}

empty_output!(DeleteGroupOutput, DeleteGroup);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_group_by_name() {
        let read = |body: &str| DeleteGroupInput::from_params(&form(body));
        assert_eq!(read("GroupName=ops").unwrap().group_name, "ops");
        refused(read(""), ErrorCode::MissingParameter, 400, "GroupName");
    }
}
