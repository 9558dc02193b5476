//! `RemoveTagsFromResource`'s input (keys as `TagKeys.member.N`) and (empty) output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RemoveTagsFromResource.html>

use super::empty_output;
use super::{Service, TaggedResource};
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveTagsFromResourceInput {
    /// The instance, given by its ARN (or identifier).
    pub resource_name: TaggedResource,
    /// At least one; absent keys are ignored.
    pub tag_keys: Vec<String>,
}

impl RemoveTagsFromResourceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let resource_name = service.resource("ResourceName", params.required("ResourceName")?)?;
        let tag_keys = params.list("TagKeys")?;
        if tag_keys.is_empty() {
            return Err(AwsError::missing("TagKeys"));
        }
        Ok(Self {
            resource_name,
            tag_keys,
        })
    }
}

empty_output!(RemoveTagsFromResourceOutput, RemoveTagsFromResource);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_resource_and_keys_are_required() {
        let read = |body: &str| RemoveTagsFromResourceInput::from_params(&form(body), &service());
        assert_eq!(
            read("ResourceName=a&TagKeys.member.1=k").unwrap().tag_keys,
            ["k"]
        );
        refused(
            read("TagKeys.member.1=k"),
            ErrorCode::MissingParameter,
            400,
            "ResourceName",
        );
        refused(
            read("ResourceName=a"),
            ErrorCode::MissingParameter,
            400,
            "TagKeys",
        );
        refused(
            read("ResourceName=a&TagKeys.member.0=k"),
            ErrorCode::InvalidParameterValue,
            400,
            "TagKeys",
        );
    }
}
