//! `DescribeEvents`'s input (source, categories, a time window that defaults to the last hour,
//! `MaxRecords` and `Marker`) and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeEvents.html>

use super::{Output, Service};
use crate::{Action, AwsError, Params};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeEventsInput {
    pub max_records: i64,
    /// The id of the last event of the previous page.
    pub after: Option<i64>,
    /// The window asked for: `StartTime` (or `Duration` minutes, or an hour, before the end)
    /// to `EndTime` (or now).
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub source_type: String,
    /// Lower-cased, as identifiers are stored.
    pub source_identifier: Option<String>,
    pub categories: Vec<String>,
}

impl DescribeEventsInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let end = params.timestamp("EndTime")?.unwrap_or(service.now);
        let start = match (
            params.timestamp("StartTime")?,
            params.int("Duration", 1, 20160)?,
        ) {
            (Some(start), _) => Some(start),
            (None, Some(minutes)) => end.checked_sub_signed(Duration::minutes(minutes)),
            (None, None) => end.checked_sub_signed(Duration::hours(1)),
        }
        .ok_or_else(|| AwsError::invalid("Duration", "the window starts before any date"))?;
        Ok(Self {
            max_records: params.max_records()?,
            after: params
                .get("Marker")
                .map(|m| {
                    m.parse::<i64>()
                        .map_err(|_| AwsError::invalid("Marker", "not a marker this service gave"))
                })
                .transpose()?,
            start,
            end,
            source_type: params.get("SourceType").unwrap_or("db-instance").to_owned(),
            source_identifier: params.get("SourceIdentifier").map(str::to_ascii_lowercase),
            categories: params.list("EventCategories")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EventCategories {
    #[serde(rename = "EventCategory")]
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    #[serde(rename = "SourceIdentifier")]
    pub source_identifier: String,
    #[serde(rename = "SourceType")]
    pub source_type: String,
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(rename = "EventCategories")]
    pub categories: EventCategories,
    #[serde(rename = "Date")]
    pub date: String,
    #[serde(rename = "SourceArn", skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Events {
    #[serde(rename = "Event")]
    pub events: Vec<Event>,
}

/// `DescribeEventsResult`: a page of events, and the marker of the next page.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeEventsOutput {
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(rename = "Events")]
    pub events: Events,
}

impl Output for DescribeEventsOutput {
    const ACTION: Action = Action::DescribeEvents;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<DescribeEventsInput, AwsError> {
        DescribeEventsInput::from_params(&form(body), &service())
    }

    #[test]
    fn the_window_defaults_to_the_last_hour() {
        let now = service().now;
        let input = read("SourceIdentifier=DB1&EventCategories.EventCategory.1=creation").unwrap();
        assert_eq!((input.start, input.end), (now - Duration::hours(1), now));
        assert_eq!(input.source_identifier.as_deref(), Some("db1"));
        assert_eq!(input.source_type, "db-instance");
        assert_eq!(input.categories, ["creation"]);
        let input = read("Duration=10&EndTime=2026-11-25T03:00:00Z&Marker=42").unwrap();
        assert_eq!(input.end.to_rfc3339(), "2026-11-25T03:00:00+00:00");
        assert_eq!(input.start, input.end - Duration::minutes(10));
        assert_eq!(input.after, Some(42));
        let input = read("StartTime=2026-11-25T02:00:00Z&Duration=10").unwrap();
        assert_eq!(input.start.to_rfc3339(), "2026-11-25T02:00:00+00:00");
        assert_eq!(input.end, now);
    }

    #[test]
    fn bad_windows_and_markers_are_refused() {
        refused(
            read("Marker=x"),
            ErrorCode::InvalidParameterValue,
            400,
            "Marker",
        );
        refused(
            read("Duration=0"),
            ErrorCode::InvalidParameterValue,
            400,
            "Duration",
        );
        refused(
            read("MaxRecords=5"),
            ErrorCode::InvalidParameterValue,
            400,
            "MaxRecords",
        );
        refused(
            read("StartTime=yesterday"),
            ErrorCode::InvalidParameterValue,
            400,
            "StartTime",
        );
        let at_the_start_of_time = Service {
            now: DateTime::<Utc>::MIN_UTC,
            ..service()
        };
        refused(
            DescribeEventsInput::from_params(&form("Duration=10"), &at_the_start_of_time),
            ErrorCode::InvalidParameterValue,
            400,
            "Duration",
        );
    }
}
