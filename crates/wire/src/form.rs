//! The form parameters of a Query request (`application/x-www-form-urlencoded` body, or the
//! query string), read strictly: a malformed value is `InvalidParameterValue` naming the field,
//! a missing one `MissingParameter`. Lists follow the Query protocol: `Name.<member>.N`
//! (`VpcSecurityGroupIds.member.1`, `Tags.Tag.1.Key`, `Filters.Filter.1.Values.Value.2`).

use crate::text::first_forbidden;
use crate::AwsError;
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use std::collections::BTreeMap;

/// Decoded `name=value` pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

/// A `Filters.Filter.N` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

/// A `Tags.Tag.N` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// As the inventory stores tags.
impl From<Tag> for (String, String) {
    fn from(t: Tag) -> Self {
        (t.key, t.value)
    }
}

impl Params {
    /// Decode a form, refusing any name or value with a character XML 1.0 cannot carry (NUL
    /// and the other C0 controls but tab, newline and carriage return): such text could never
    /// be answered back, and PostgreSQL refuses NUL.
    pub fn parse(encoded: &[u8]) -> Result<Self, AwsError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(encoded).into_owned().collect();
        for (name, value) in &pairs {
            if let Some(c) = first_forbidden(name).or_else(|| first_forbidden(value)) {
                return Err(AwsError::invalid(
                    &name.escape_debug().to_string(),
                    format!("the character U+{:04X} is not allowed", u32::from(c)),
                ));
            }
        }
        Ok(Self(pairs))
    }

    /// Add `other`'s pairs after these (the body's after the query string's).
    pub fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn required(&self, name: &str) -> Result<&str, AwsError> {
        match self.get(name) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(AwsError::missing(name)),
        }
    }

    /// `true` or `false`, as botocore sends them.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, AwsError> {
        self.get(name)
            .map(|v| match v {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(AwsError::invalid(
                    name,
                    format!("{v:?} is not a boolean (true or false)"),
                )),
            })
            .transpose()
    }

    /// A whole number within `min..=max`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, AwsError> {
        self.get(name)
            .map(|v| {
                let n: i64 = v
                    .parse()
                    .map_err(|_| AwsError::invalid(name, format!("{v:?} is not an integer")))?;
                in_range(name, n, min, max)
            })
            .transpose()
    }

    /// `MaxRecords` of a paged Describe: 20 to 100, 100 when not given.
    pub fn max_records(&self) -> Result<i64, AwsError> {
        Ok(self.int("MaxRecords", 20, 100)?.unwrap_or(100))
    }

    /// An ISO 8601 timestamp (`2026-11-25T03:00:00Z`; no offset means UTC) with a four-digit
    /// year, 0001 to 9999, as AWS's timestamps have.
    pub fn timestamp(&self, name: &str) -> Result<Option<DateTime<Utc>>, AwsError> {
        self.get(name)
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|t| t.with_timezone(&Utc))
                    .or_else(|_| {
                        NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f")
                            .map(|t| t.and_utc())
                    })
                    .ok()
                    .filter(|t| (1..=9999).contains(&t.year()))
                    .ok_or_else(|| {
                        AwsError::invalid(
                            name,
                            format!("{v:?} is not an ISO 8601 timestamp from year 0001 to 9999"),
                        )
                    })
            })
            .transpose()
    }

    /// The `N`-indexed entries under `prefix.<member>.N[.<field>]`, in index order, as maps of
    /// field (empty for scalar members) to value. Indexes must be positive integers.
    pub(crate) fn indexed(
        &self,
        prefix: &str,
    ) -> Result<BTreeMap<u32, BTreeMap<String, String>>, AwsError> {
        let mut entries: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
        let head = format!("{prefix}.");
        for (key, value) in &self.0 {
            let Some(rest) = key.strip_prefix(&head) else {
                continue;
            };
            let mut parts = rest.splitn(3, '.');
            let (_member, index, field) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
            let index: u32 = index
                .and_then(|i| i.parse().ok())
                .filter(|i| *i > 0)
                .ok_or_else(|| AwsError::invalid(key, "list members are numbered from 1"))?;
            entries
                .entry(index)
                .or_default()
                .insert(field.to_owned(), value.clone());
        }
        Ok(entries)
    }

    /// A list of plain values, e.g. `TagKeys.member.N` or `VpcSecurityGroupIds.VpcSecurityGroupId.N`.
    pub fn list(&self, prefix: &str) -> Result<Vec<String>, AwsError> {
        Ok(self
            .indexed(prefix)?
            .into_values()
            .filter_map(|mut fields| fields.remove(""))
            .collect())
    }

    /// `Filters.Filter.N.Name` with `Filters.Filter.N.Values.Value.M`.
    pub fn filters(&self) -> Result<Vec<Filter>, AwsError> {
        let mut out = Vec::new();
        for (index, fields) in self.indexed("Filters")? {
            let name = fields
                .get("Name")
                .cloned()
                .ok_or_else(|| AwsError::missing(&format!("Filters.Filter.{index}.Name")))?;
            let values = self.list(&format!("Filters.Filter.{index}.Values"))?;
            if values.is_empty() {
                return Err(AwsError::missing(&format!("Filters.Filter.{index}.Values")));
            }
            out.push(Filter { name, values });
        }
        Ok(out)
    }

    /// `Tags.Tag.N.Key` with `Tags.Tag.N.Value` (a missing value is empty); a key given twice
    /// is refused as RDS refuses it (`InvalidParameterCombination`, "Duplicate tag key found in
    /// request").
    pub fn tags(&self) -> Result<Vec<Tag>, AwsError> {
        let mut tags: Vec<Tag> = Vec::new();
        for (index, fields) in self.indexed("Tags")? {
            let key = fields
                .get("Key")
                .cloned()
                .ok_or_else(|| AwsError::missing(&format!("Tags.Tag.{index}.Key")))?;
            if tags.iter().any(|t| t.key == key) {
                return Err(AwsError::duplicate_tag(Some(&key)));
            }
            let value = fields.get("Value").cloned().unwrap_or_default();
            tags.push(Tag { key, value });
        }
        Ok(tags)
    }
}

/// `n` if it is within `min..=max`, else `InvalidParameterValue` naming `name`; for bounds
/// only known after parsing (a provider's ports).
pub fn in_range(name: &str, n: i64, min: i64, max: i64) -> Result<i64, AwsError> {
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(AwsError::invalid(
            name,
            format!("{n} is not between {min} and {max}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn decodes_form_bodies() {
        let p = Params::parse(b"Action=DescribeDBInstances&Version=2014-10-31&X=a%20b+c").unwrap();
        assert_eq!(p.get("Action"), Some("DescribeDBInstances"));
        assert_eq!(p.get("X"), Some("a b c"));
        assert_eq!(p.get("action"), None);
        assert_eq!(
            p.required("Nope").unwrap_err().code,
            ErrorCode::MissingParameter
        );
        assert_eq!(
            Params::parse(b"X=")
                .unwrap()
                .required("X")
                .unwrap_err()
                .code,
            ErrorCode::MissingParameter
        );
    }

    #[test]
    fn strict_scalars() {
        let p = Params::parse(b"B=true&C=False&N=20&M=x&L=5000").unwrap();
        assert_eq!(p.bool("B").unwrap(), Some(true));
        assert_eq!(p.bool("Z").unwrap(), None);
        let err = p.bool("C").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidParameterValue);
        assert!(err.message.contains("C"));
        assert_eq!(p.int("N", 20, 100).unwrap(), Some(20));
        assert!(p.int("M", 0, 10).unwrap_err().message.contains("M"));
        assert!(p
            .int("L", 20, 100)
            .unwrap_err()
            .message
            .contains("between 20 and 100"));
    }

    #[test]
    fn lists_filters_and_tags() {
        let p = Params::parse(
            b"V.member.2=b&V.member.1=a&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres\
              &Filters.Filter.1.Values.Value.2=x&Tags.Tag.2.Key=k2&Tags.Tag.1.Key=k1&Tags.Tag.1.Value=v1",
        )
        .unwrap();
        assert_eq!(p.list("V").unwrap(), ["a", "b"]);
        assert_eq!(
            p.filters().unwrap(),
            [Filter {
                name: "engine".into(),
                values: vec!["postgres".into(), "x".into()]
            }]
        );
        assert_eq!(
            p.tags().unwrap(),
            [
                Tag {
                    key: "k1".into(),
                    value: "v1".into()
                },
                Tag {
                    key: "k2".into(),
                    value: String::new()
                }
            ]
        );
        assert!(Params::parse(b"V.member.x=a").unwrap().list("V").is_err());
        assert!(Params::parse(b"V.member.0=a").unwrap().list("V").is_err());
        assert_eq!(
            Params::parse(b"Tags.Tag.1.Value=v")
                .unwrap()
                .tags()
                .unwrap_err()
                .code,
            ErrorCode::MissingParameter
        );
        assert_eq!(
            Params::parse(b"Filters.Filter.1.Name=engine")
                .unwrap()
                .filters()
                .unwrap_err()
                .code,
            ErrorCode::MissingParameter
        );
    }

    #[test]
    fn forbidden_characters_are_refused_naming_the_parameter() {
        for (form, name) in [
            (&b"Action=X&Tags.Tag.1.Value=a%01b"[..], "Tags.Tag.1.Value"),
            (b"Marker=%00", "Marker"),
            (
                b"Filters.Filter.1.Values.Value.1=x%1B%5B31m",
                "Filters.Filter.1.Values.Value.1",
            ),
            (b"SourceIdentifier=a%EF%BF%BE", "SourceIdentifier"),
        ] {
            let err = Params::parse(form).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidParameterValue, "{form:?}");
            assert!(err.message.contains(name), "{}", err.message);
            assert!(crate::text::first_forbidden(&err.message).is_none());
        }
        let err = Params::parse(b"A%00b=1").unwrap_err();
        assert!(err.message.contains("A\\0b"), "{}", err.message);
        assert!(Params::parse(b"V=tab%09nl%0Acr%0D%C3%A9").is_ok());
    }

    #[test]
    fn a_repeated_tag_key_is_refused() {
        let err = Params::parse(b"Tags.Tag.1.Key=k&Tags.Tag.1.Value=a&Tags.Tag.2.Key=k")
            .unwrap()
            .tags()
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidParameterCombination);
        assert!(err.message.contains("Tags"), "{}", err.message);
        assert!(err.message.contains("\"k\""), "{}", err.message);
    }

    #[test]
    fn timestamps_stay_in_aws_range() {
        let p = Params::parse(
            b"A=2026-11-25T03:00:00Z&B=2026-11-25T03:00:00&C=-5000-01-01T00:00:00&D=+262142-01-01T00:00:00Z\
              &E=0000-12-31T23:59:59Z&F=0001-01-01T00:00:00Z&G=9999-12-31T23:59:59Z&H=yesterday",
        )
        .unwrap();
        assert_eq!(
            p.timestamp("A").unwrap(),
            p.timestamp("B").unwrap(),
            "no offset means UTC"
        );
        for bad in ["C", "D", "E", "H"] {
            let err = p.timestamp(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidParameterValue);
            assert!(err.message.contains(bad), "{}", err.message);
        }
        assert!(p.timestamp("F").unwrap().is_some());
        assert!(p.timestamp("G").unwrap().is_some());
        assert_eq!(p.timestamp("Z").unwrap(), None);
    }
}
