//! `Tags.Tag.N` checked against RDS's tag rules (`domain::tag`), for the actions that set tags.

use crate::{AwsError, Params, Tag};
use cornac_domain::tag;

/// The refusal of more than `MAX_TAGS` tags on one resource.
pub fn too_many() -> AwsError {
    AwsError::invalid(
        "Tags",
        format!("a resource has at most {} tags", tag::MAX_TAGS),
    )
}

/// The tags of the form: at most `MAX_TAGS`, each key and value within RDS's rules.
pub fn checked(params: &Params) -> Result<Vec<Tag>, AwsError> {
    let tags = params.tags()?;
    if tags.len() > tag::MAX_TAGS {
        return Err(too_many());
    }
    for t in &tags {
        tag::check_key(&t.key)?;
        tag::check_value(&t.key, &t.value)?;
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn tags_follow_rds_rules() {
        assert_eq!(
            checked(&form("Tags.Tag.1.Key=k&Tags.Tag.1.Value=v"))
                .unwrap()
                .len(),
            1
        );
        refused(
            checked(&form("Tags.Tag.1.Key=aws:x")),
            ErrorCode::InvalidParameterValue,
            400,
            "Tags",
        );
        let long = "v".repeat(257);
        refused(
            checked(&form(&format!("Tags.Tag.1.Key=k&Tags.Tag.1.Value={long}"))),
            ErrorCode::InvalidParameterValue,
            400,
            "Tags",
        );
        let many: Vec<String> = (1..=51).map(|i| format!("Tags.Tag.{i}.Key=k{i}")).collect();
        refused(
            checked(&form(&many.join("&"))),
            ErrorCode::InvalidParameterValue,
            400,
            "Tags",
        );
    }
}
