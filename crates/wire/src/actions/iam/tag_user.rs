//! `TagUser`'s input and (empty) output: add or replace tags of a user (at most 50 in all).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagUser.html>

use super::{tags, Name};
use crate::actions::empty_output;
use crate::{AwsError, Params, Tag};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagUserInput {
    pub name: String,
    /// At least one.
    pub tags: Vec<Tag>,
}

impl TagUserInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let name = Name::User.required(params)?;
        let tags = tags::tags(params)?;
        if tags.is_empty() {
            return Err(AwsError::missing("Tags"));
        }
        Ok(Self { name, tags })
    }
}

empty_output!(TagUserOutput, TagUser);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_name_and_tags_are_required() {
        let read = |body: &str| TagUserInput::from_params(&form(body));
        let input = read("UserName=bob&Tags.member.1.Key=k&Tags.member.1.Value=v").unwrap();
        assert_eq!((input.name.as_str(), input.tags.len()), ("bob", 1));
        refused(
            read("UserName=bob"),
            ErrorCode::MissingParameter,
            400,
            "Tags",
        );
        refused(
            read("Tags.member.1.Key=k&Tags.member.1.Value=v"),
            ErrorCode::MissingParameter,
            400,
            "UserName",
        );
    }
}
