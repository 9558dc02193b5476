//! `DescribeEvents`: instance events, by source, category and time window (default: the last
//! hour), paged by `MaxRecords` and `Marker`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeEvents.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use chrono::{Duration, Utc};
use cornac_inventory::events::{self, EventFilter};
use cornac_inventory::PgConnection;
use cornac_wire::catalog::{DescribeEventsResult, Event, EventCategories, Events};
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let limit = params.int("MaxRecords", 20, 100)?.unwrap_or(100);
    let after = params
        .get("Marker")
        .map(|m| {
            m.parse::<i64>()
                .map_err(|_| AwsError::invalid("Marker", "not a marker this service gave"))
        })
        .transpose()?;
    let now = Utc::now();
    let duration = params.int("Duration", 1, 20160)?;
    let end = params.timestamp("EndTime")?.unwrap_or(now);
    let start = match (params.timestamp("StartTime")?, duration) {
        (Some(start), _) => Some(start),
        (None, Some(minutes)) => end.checked_sub_signed(Duration::minutes(minutes)),
        (None, None) => end.checked_sub_signed(Duration::hours(1)),
    }
    .ok_or_else(|| AwsError::invalid("Duration", "the window starts before any date"))?;
    let source_type = params.get("SourceType").unwrap_or("db-instance");
    let filter = EventFilter {
        source_identifier: params.get("SourceIdentifier").map(str::to_ascii_lowercase),
        categories: params.list("EventCategories")?,
        start,
        end,
    };
    let mut rows = if source_type == "db-instance" {
        events::list(conn, &filter, after, limit + 1)?
    } else {
        Vec::new()
    };
    let marker = (rows.len() as i64 > limit).then(|| {
        rows.truncate(usize::try_from(limit).unwrap_or(100));
        rows.last().map(|e| e.id.to_string()).unwrap_or_default()
    });
    let events = rows
        .into_iter()
        .map(|e| Event {
            source_identifier: e.source_identifier,
            source_type: e.source_type,
            message: e.message,
            categories: EventCategories {
                categories: e.categories,
            },
            date: e.created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            source_arn: e.source_arn,
        })
        .collect();
    Ok(ctx.reply(&DescribeEventsResult {
        marker,
        events: Events { events },
    }))
}
