//! The dates of `Date…` conditions: ISO 8601 (a date, or a date and time with or without a
//! zone, UTC when none) or seconds since the epoch, as IAM reads both a policy's values and
//! `aws:CurrentTime`/`aws:EpochTime`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// The instant `text` names, if it is one of IAM's date forms.
pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(naive, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(naive, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let t = |s| parse(s).map(|d| d.timestamp());
        assert_eq!(t("2020-01-01T00:00:00Z"), Some(1_577_836_800));
        assert_eq!(t("2020-01-01T01:00:00+01:00"), Some(1_577_836_800));
        assert_eq!(t("2020-01-01T00:00:00"), Some(1_577_836_800));
        assert_eq!(t("2020-01-01T00:00Z"), Some(1_577_836_800));
        assert_eq!(t("2020-01-01"), Some(1_577_836_800));
        assert_eq!(t("1577836800"), Some(1_577_836_800));
        assert_eq!(t("2020-13-01"), None);
        assert_eq!(t("yesterday"), None);
        assert_eq!(t(""), None);
    }
}
