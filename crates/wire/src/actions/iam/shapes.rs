//! The IAM shapes several actions answer: `Group` (CreateGroup, GetGroup, ListGroupsForUser)
//! and `User` (GetGroup's members), with IAM's dates (ISO 8601, whole seconds, `Z`). See
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_Group.html> and
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html>.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// An IAM date: `2026-12-02T10:20:30Z`.
pub fn date(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `Group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupShape {
    #[serde(rename = "Path")]
    pub path: String,
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// `AGPA…`.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    #[serde(rename = "Arn")]
    pub arn: String,
    /// See [`date`].
    #[serde(rename = "CreateDate")]
    pub create_date: String,
}

/// `User`, without its tags (GetGroup does not show them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserShape {
    #[serde(rename = "Path")]
    pub path: String,
    #[serde(rename = "UserName")]
    pub user_name: String,
    /// `AIDA…`.
    #[serde(rename = "UserId")]
    pub user_id: String,
    #[serde(rename = "Arn")]
    pub arn: String,
    /// See [`date`].
    #[serde(rename = "CreateDate")]
    pub create_date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_whole_seconds_in_utc() {
        let t = DateTime::parse_from_rfc3339("2026-12-02T11:20:30.789+01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date(t), "2026-12-02T10:20:30Z");
    }
}
