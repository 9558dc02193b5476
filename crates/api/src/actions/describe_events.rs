//! `DescribeEvents`: instance events (`SourceType` `db-instance`, the default) or snapshot
//! events (`db-snapshot`), by source, category and time window (default: the last hour), paged
//! by `MaxRecords` and `Marker`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeEvents.html>

use super::Ctx;
use crate::error::ApiError;
use cornac_domain::SourceType;
use cornac_inventory::events::{self, EventFilter};
use cornac_inventory::PgConnection;
use cornac_wire::actions::describe_events::{
    DescribeEventsInput, DescribeEventsOutput, Event, EventCategories, Events,
};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DescribeEventsInput,
) -> Result<DescribeEventsOutput, ApiError> {
    let limit = input.max_records;
    // Events of a source type this service does not record: none.
    let mut rows = match SourceType::parse(&input.source_type) {
        Some(source_type) => {
            let filter = EventFilter {
                source_type,
                source_identifier: input.source_identifier,
                categories: input.categories,
                start: input.start,
                end: input.end,
            };
            events::list(conn, ctx.account_id, &filter, input.after, limit + 1)?
        }
        None => Vec::new(),
    };
    let marker = super::page(&mut rows, limit, |e| e.id.to_string());
    let events = rows
        .into_iter()
        .map(|e| Event {
            source_identifier: e.source_identifier,
            source_type: e.source_type,
            message: e.message,
            categories: EventCategories {
                categories: e.categories.iter().map(ToString::to_string).collect(),
            },
            date: e.created_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            source_arn: e.source_arn,
        })
        .collect();
    Ok(DescribeEventsOutput {
        marker,
        events: Events { events },
    })
}
