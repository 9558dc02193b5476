//! IAM's tags (`Tags.member.N.Key`/`.Value`, `TagKeys.member.N`) checked as IAM checks them:
//! at most 50 a request, keys of 1 to 128 and values of 0 to 256 letters, digits, spaces and
//! `_.:/=+-@`, no key twice whatever its case (IAM's tag keys are case-insensitive).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html>

use super::{validation, Members};
use crate::shapes::TagOut;
use crate::{AwsError, ErrorCode, Params, Tag};

/// The most tags a user has, and a request sets.
pub const MAX_TAGS: usize = 50;

/// The tags of the form (none when there are none).
pub fn tags(params: &Params) -> Result<Vec<Tag>, AwsError> {
    let entries = params.indexed("Tags")?;
    if entries.len() > MAX_TAGS {
        return Err(too_many("tags", entries.len()));
    }
    let mut tags: Vec<Tag> = Vec::with_capacity(entries.len());
    for (index, mut fields) in entries {
        let field = |name: &str| format!("tags.{index}.member.{name}");
        let key = fields.remove("Key").ok_or_else(|| null(&field("key")))?;
        let value = fields
            .remove("Value")
            .ok_or_else(|| null(&field("value")))?;
        check(&field("key"), &key, 1, 128)?;
        check(&field("value"), &value, 0, 256)?;
        tags.push(Tag { key, value });
    }
    let mut lowered: Vec<String> = tags.iter().map(|t| t.key.to_lowercase()).collect();
    lowered.sort();
    lowered.dedup();
    if lowered.len() < tags.len() {
        return Err(AwsError::new(
            ErrorCode::InvalidInput,
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        ));
    }
    Ok(tags)
}

/// The tag keys of the form (`TagKeys.member.N`).
pub fn keys(params: &Params) -> Result<Vec<String>, AwsError> {
    let keys = params.list("TagKeys")?;
    if keys.len() > MAX_TAGS {
        return Err(too_many("tagKeys", keys.len()));
    }
    for (i, key) in keys.iter().enumerate() {
        check(&format!("tagKeys.{}.member", i + 1), key, 1, 128)?;
    }
    Ok(keys)
}

/// Tags as IAM lists them: `<Tags><member><Key>…</Key><Value>…</Value></member></Tags>`.
pub fn shape(tags: Vec<(String, String)>) -> Members<TagOut> {
    tags.into_iter()
        .map(|(key, value)| TagOut { key, value })
        .collect::<Vec<_>>()
        .into()
}

fn too_many(field: &str, count: usize) -> AwsError {
    validation(
        field,
        &format!("{count} members"),
        &format!("Member must have length less than or equal to {MAX_TAGS}"),
    )
}

/// `Value null at '<field>' …`: a member IAM requires is missing.
fn null(field: &str) -> AwsError {
    AwsError::new(
        ErrorCode::ValidationError,
        format!(
            "1 validation error detected: Value null at '{field}' failed to satisfy \
             constraint: Member must not be null"
        ),
    )
}

/// `text` is `min` to `max` characters of IAM's tag alphabet.
fn check(field: &str, text: &str, min: usize, max: usize) -> Result<(), AwsError> {
    let len = text.chars().count();
    if len < min {
        return Err(validation(
            field,
            text,
            &format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if len > max {
        return Err(validation(
            field,
            text,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    if !text.chars().all(allowed) {
        return Err(validation(
            field,
            text,
            "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};

    #[test]
    fn tags_follow_iam_rules() {
        let read = |body: &str| tags(&form(body));
        let ok = read("Tags.member.1.Key=team&Tags.member.1.Value=db+ops&Tags.member.2.Key=é:x&Tags.member.2.Value=")
            .unwrap();
        assert_eq!(
            ok,
            vec![
                Tag {
                    key: "team".into(),
                    value: "db ops".into()
                },
                Tag {
                    key: "é:x".into(),
                    value: String::new()
                }
            ]
        );
        assert!(read("").unwrap().is_empty());
        let v = ErrorCode::ValidationError;
        refused(read("Tags.member.1.Value=v"), v, 400, "tags.1.member.key");
        refused(read("Tags.member.1.Key=k"), v, 400, "tags.1.member.value");
        refused(
            read("Tags.member.1.Key=&Tags.member.1.Value=v"),
            v,
            400,
            "tags.1.member.key",
        );
        let long_key = "k".repeat(129);
        refused(
            read(&format!(
                "Tags.member.1.Key={long_key}&Tags.member.1.Value=v"
            )),
            v,
            400,
            "less than or equal to 128",
        );
        assert!(read(&format!(
            "Tags.member.1.Key={}&Tags.member.1.Value=v",
            "k".repeat(128)
        ))
        .is_ok());
        let long_value = "v".repeat(257);
        refused(
            read(&format!(
                "Tags.member.1.Key=k&Tags.member.1.Value={long_value}"
            )),
            v,
            400,
            "tags.1.member.value",
        );
        refused(
            read("Tags.member.1.Key=a%23b&Tags.member.1.Value=v"),
            v,
            400,
            "regular expression",
        );
        let many: Vec<String> = (1..=51)
            .map(|i| format!("Tags.member.{i}.Key=k{i}&Tags.member.{i}.Value=v"))
            .collect();
        refused(read(&many.join("&")), v, 400, "'tags'");
        refused(
            read("Tags.member.1.Key=Team&Tags.member.1.Value=a&Tags.member.2.Key=team&Tags.member.2.Value=b"),
            ErrorCode::InvalidInput,
            400,
            "case insensitive",
        );
    }

    #[test]
    fn tag_keys_are_checked_too() {
        assert_eq!(
            keys(&form("TagKeys.member.2=b&TagKeys.member.1=a")).unwrap(),
            vec!["a", "b"]
        );
        refused(
            keys(&form("TagKeys.member.1=a&TagKeys.member.2=")),
            ErrorCode::ValidationError,
            400,
            "tagKeys.2.member",
        );
    }

    #[test]
    fn tags_render_as_members() {
        let xml =
            quick_xml::se::to_string_with_root("Tags", &shape(vec![("a".into(), "1".into())]))
                .unwrap();
        assert_eq!(
            xml,
            "<Tags><member><Key>a</Key><Value>1</Value></member></Tags>"
        );
    }
}
