//! `AddTagsToResource`'s input and (empty) output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_AddTagsToResource.html>

use super::{empty_output, tags};
use super::{Service, TaggedResource};
use crate::{AwsError, Params, Tag};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddTagsToResourceInput {
    /// The instance, given by its ARN (or identifier).
    pub resource_name: TaggedResource,
    /// At least one, each within RDS's rules.
    pub tags: Vec<Tag>,
}

impl AddTagsToResourceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let resource_name = service.resource("ResourceName", params.required("ResourceName")?)?;
        let tags = tags::checked(params)?;
        if tags.is_empty() {
            return Err(AwsError::missing("Tags"));
        }
        Ok(Self {
            resource_name,
            tags,
        })
    }
}

empty_output!(AddTagsToResourceOutput, AddTagsToResource);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::actions::Output;
    use crate::ErrorCode;

    #[test]
    fn a_resource_and_tags_are_required() {
        let read = |body: &str| AddTagsToResourceInput::from_params(&form(body), &service());
        let input =
            read("ResourceName=arn:aws:rds:local:000000000000:db:a&Tags.Tag.1.Key=k").unwrap();
        assert_eq!(input.tags[0].key, "k");
        refused(
            read("Tags.Tag.1.Key=k"),
            ErrorCode::MissingParameter,
            400,
            "ResourceName",
        );
        refused(
            read("ResourceName=a"),
            ErrorCode::MissingParameter,
            400,
            "Tags",
        );
        refused(
            read("ResourceName=a&Tags.Tag.1.Key=rds:x"),
            ErrorCode::InvalidParameterValue,
            400,
            "Tags",
        );
    }

    #[test]
    fn the_answer_has_no_result_element() {
        assert_eq!(
            AddTagsToResourceOutput.to_xml("r"),
            "<AddTagsToResourceResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AddTagsToResourceResponse>"
        );
    }
}
