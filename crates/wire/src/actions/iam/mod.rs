//! IAM's actions (version `2010-05-08`, service `iam`), one module each, and what they share:
//! the names IAM admits ([`Name`]), the paging of its lists ([`Paging`], [`Page`]) and its list
//! shape ([`Members`]). IAM refuses a value with `ValidationError`, naming the parameter as
//! IAM's validator does (`userName`). See
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html>.

pub mod access_key;
pub mod add_user_to_group;
pub mod attach_group_policy;
pub mod attach_user_policy;
pub mod attached;
pub mod create_access_key;
pub mod create_group;
pub mod create_user;
pub mod delete_access_key;
pub mod delete_group;
pub mod delete_group_policy;
pub mod delete_user;
pub mod delete_user_policy;
pub mod detach_group_policy;
pub mod detach_user_policy;
pub mod get_access_key_last_used;
pub mod get_group;
pub mod get_group_policy;
pub mod get_user;
pub mod get_user_policy;
pub mod holder;
pub mod inline;
pub mod list_access_keys;
pub mod list_attached_group_policies;
pub mod list_attached_user_policies;
pub mod list_group_policies;
pub mod list_groups_for_user;
pub mod list_user_policies;
pub mod list_user_tags;
pub mod list_users;
pub mod put_group_policy;
pub mod put_user_policy;
pub mod remove_user_from_group;
pub mod shapes;
pub mod tag_user;
pub mod tags;
pub mod untag_user;
pub mod update_access_key;
pub mod user;

use crate::{AwsError, ErrorCode, Params};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A time as IAM answers it: `2026-11-25T03:00:00Z`.
pub fn date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `1 validation error detected: Value '<v>' at '<field>' failed to satisfy constraint: <why>`.
pub fn validation(field: &str, value: &str, why: &str) -> AwsError {
    AwsError::new(
        ErrorCode::ValidationError,
        format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy \
             constraint: {why}"
        ),
    )
}

/// The kinds of IAM names, each with its longest length (`UserName` 64, the others 128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    User,
    Group,
    Policy,
}

impl Name {
    /// The parameter's name on the wire.
    pub fn parameter(self) -> &'static str {
        match self {
            Name::User => "UserName",
            Name::Group => "GroupName",
            Name::Policy => "PolicyName",
        }
    }

    fn max_len(self) -> usize {
        match self {
            Name::User => 64,
            Name::Group | Name::Policy => 128,
        }
    }

    /// `raw` when it is a name of this kind: 1 to `max_len` of `[\w+=,.@-]`.
    pub fn check(self, raw: &str) -> Result<String, AwsError> {
        let field = lower_first(self.parameter());
        if raw.is_empty() || raw.len() > self.max_len() {
            return Err(validation(
                &field,
                raw,
                &format!(
                    "Member must have length between 1 and {} characters",
                    self.max_len()
                ),
            ));
        }
        if !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        {
            return Err(validation(
                &field,
                raw,
                "Member must satisfy regular expression pattern: [\\w+=,.@-]+",
            ));
        }
        Ok(raw.to_owned())
    }

    /// The required name of this kind in `params`.
    pub fn required(self, params: &Params) -> Result<String, AwsError> {
        self.check(params.required(self.parameter())?)
    }

    /// The name of this kind in `params`, if given.
    pub fn optional(self, params: &Params) -> Result<Option<String>, AwsError> {
        params
            .get(self.parameter())
            .map(|raw| self.check(raw))
            .transpose()
    }
}

/// `userName` for `UserName`: how IAM's validator names a field.
fn lower_first(parameter: &str) -> String {
    let mut chars = parameter.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// An IAM path: `/`, or `/` … `/` of printable ASCII, at most 512 characters.
pub fn path(params: &Params) -> Result<String, AwsError> {
    let Some(raw) = params.get("Path") else {
        return Ok("/".to_owned());
    };
    let printable = raw.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if raw.len() > 512 || !raw.starts_with('/') || !raw.ends_with('/') || !printable {
        return Err(validation(
            "path",
            raw,
            "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)",
        ));
    }
    Ok(raw.to_owned())
}

/// A list's `Marker` and `MaxItems` (1 to 1000, 100 when not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// The name the previous page ended with.
    pub marker: Option<String>,
    pub max_items: i64,
}

impl Paging {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        let max_items = match params.get("MaxItems") {
            None => 100,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=1000).contains(&n) => n,
                _ => {
                    return Err(validation(
                        "maxItems",
                        raw,
                        "Member must have value between 1 and 1000",
                    ))
                }
            },
        };
        let marker = params.get("Marker").map(str::to_owned);
        if marker.as_deref() == Some("") {
            return Err(validation(
                "marker",
                "",
                "Member must have length greater than or equal to 1",
            ));
        }
        Ok(Self { marker, max_items })
    }

    /// The page of `items` (sorted by `key`, all of them) after the marker, and whether more
    /// follow.
    pub fn page<T>(&self, items: Vec<T>, key: impl Fn(&T) -> &str) -> Page<T> {
        let after: Vec<T> = items
            .into_iter()
            .filter(|item| self.marker.as_deref().is_none_or(|m| key(item) > m))
            .collect();
        self.cut(after, key)
    }

    /// `rows` (those after the marker, fetched with at most one more than `max_items`) cut to a
    /// page.
    pub fn cut<T>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> &str) -> Page<T> {
        let limit = usize::try_from(self.max_items).unwrap_or(usize::MAX);
        let truncated = rows.len() > limit;
        rows.truncate(limit);
        let marker = truncated
            .then(|| rows.last().map(|r| key(r).to_owned()))
            .flatten();
        Page {
            items: rows,
            marker,
        }
    }
}

/// One page of a list, and the marker of the next when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub marker: Option<String>,
}

/// A list as IAM renders it: `<Users><member>…</member><member>…</member></Users>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Members<T> {
    #[serde(rename = "member")]
    pub member: Vec<T>,
}

impl<T> From<Vec<T>> for Members<T> {
    fn from(member: Vec<T>) -> Self {
        Self { member }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    #[test]
    fn dates_are_whole_seconds_in_utc() {
        let t = DateTime::parse_from_rfc3339("2026-12-02T11:20:30.789+01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date(t), "2026-12-02T10:20:30Z");
    }

    use super::*;
    use crate::actions::test_form::{form, refused};

    #[test]
    fn names() {
        assert_eq!(Name::User.check("al+ice=,.@_-9").unwrap(), "al+ice=,.@_-9");
        refused(
            Name::User.check("a b"),
            ErrorCode::ValidationError,
            400,
            "userName",
        );
        refused(
            Name::User.check(&"a".repeat(65)),
            ErrorCode::ValidationError,
            400,
            "userName",
        );
        assert!(Name::Group.check(&"a".repeat(128)).is_ok());
        refused(
            Name::Policy.required(&form("")),
            ErrorCode::MissingParameter,
            400,
            "PolicyName",
        );
        assert_eq!(Name::Group.optional(&form("")).unwrap(), None);
    }

    #[test]
    fn paths() {
        assert_eq!(path(&form("")).unwrap(), "/");
        assert_eq!(path(&form("Path=/a/b/")).unwrap(), "/a/b/");
        for bad in ["a/", "/a", "/a b/"] {
            let body = format!("Path={}", bad.replace(' ', "+"));
            refused(path(&form(&body)), ErrorCode::ValidationError, 400, "path");
        }
    }

    #[test]
    fn pages() {
        let paging = Paging::from_params(&form("MaxItems=2&Marker=b")).unwrap();
        let names = vec!["a", "b", "c", "d", "e"];
        let page = paging.page(names.clone(), |n| n);
        assert_eq!(page.items, vec!["c", "d"]);
        assert_eq!(page.marker.as_deref(), Some("d"));
        let last = Paging::from_params(&form("MaxItems=2&Marker=d"))
            .unwrap()
            .page(names, |n| n);
        assert_eq!((last.items, last.marker), (vec!["e"], None));
        assert_eq!(Paging::from_params(&form("")).unwrap().max_items, 100);
        for bad in ["MaxItems=0", "MaxItems=1001", "MaxItems=x", "Marker="] {
            assert_eq!(
                Paging::from_params(&form(bad)).unwrap_err().code,
                ErrorCode::ValidationError,
                "{bad}"
            );
        }
    }
}
