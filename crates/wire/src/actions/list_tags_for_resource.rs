//! `ListTagsForResource`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ListTagsForResource.html>

use super::Output;
use super::{Service, TaggedResource};
use crate::shapes::TagList;
use crate::{Action, AwsError, Params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTagsForResourceInput {
    /// The instance, given by its ARN (or identifier).
    pub resource_name: TaggedResource,
}

impl ListTagsForResourceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let resource_name = service.resource("ResourceName", params.required("ResourceName")?)?;
        if !params.filters()?.is_empty() {
            return Err(AwsError::invalid(
                "Filters",
                "filters are not supported for tags",
            ));
        }
        Ok(Self { resource_name })
    }
}

/// `ListTagsForResourceResult`.
#[derive(Debug, Clone, Serialize)]
pub struct ListTagsForResourceOutput {
    #[serde(rename = "TagList")]
    pub tag_list: TagList,
}

impl Output for ListTagsForResourceOutput {
    const ACTION: Action = Action::ListTagsForResource;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::shapes::TagOut;
    use crate::ErrorCode;

    #[test]
    fn filters_are_refused() {
        let read = |body: &str| ListTagsForResourceInput::from_params(&form(body), &service());
        let instance = read("ResourceName=a").unwrap().resource_name;
        assert!(matches!(instance, TaggedResource::Instance(ref i) if i.as_str() == "a"));
        let arn = "ResourceName=arn:aws:rds:local:000000000000:snapshot:s1";
        let snapshot = read(arn).unwrap().resource_name;
        assert!(matches!(snapshot, TaggedResource::Snapshot(ref s) if s.as_str() == "s1"));
        refused(read(""), ErrorCode::MissingParameter, 400, "ResourceName");
        refused(
            read("ResourceName=a&Filters.Filter.1.Name=x&Filters.Filter.1.Values.Value.1=y"),
            ErrorCode::InvalidParameterValue,
            400,
            "Filters",
        );
    }

    #[test]
    fn lists_render_their_members() {
        let tags = |tags: Vec<TagOut>| ListTagsForResourceOutput {
            tag_list: TagList { tags },
        };
        let xml = tags(vec![
            TagOut {
                key: "a".into(),
                value: "1".into(),
            },
            TagOut {
                key: "b".into(),
                value: String::new(),
            },
        ])
        .to_xml("r");
        assert!(
            xml.contains(
                "<ListTagsForResourceResult><TagList><Tag><Key>a</Key><Value>1</Value></Tag>\
                 <Tag><Key>b</Key><Value/></Tag></TagList></ListTagsForResourceResult>"
            ),
            "{xml}"
        );
        assert!(tags(Vec::new())
            .to_xml("r")
            .contains("<ListTagsForResourceResult><TagList/>"));
    }
}
