//! Events about DB instances and snapshots, as `DescribeEvents` reports them.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Event.html>

use crate::schema::events;
use crate::Result;
use chrono::{DateTime, Utc};
use cornac_domain::{EventCategory, SourceType};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub source_identifier: String,
    pub source_type: String,
    pub source_arn: Option<String>,
    pub message: String,
    pub categories: Vec<EventCategory>,
    pub created_at: DateTime<Utc>,
}

/// Record an event about a DB instance or snapshot of `account`; call through the lifecycle
/// only.
pub fn record(
    conn: &mut PgConnection,
    account: &str,
    source_type: SourceType,
    identifier: &str,
    arn: &str,
    category: EventCategory,
    message: &str,
) -> Result<()> {
    diesel::insert_into(events::table)
        .values((
            events::source_type.eq(source_type.as_str()),
            events::source_identifier.eq(identifier),
            events::source_arn.eq(arn),
            events::categories.eq(vec![category]),
            events::message.eq(message),
            events::account_id.eq(account),
        ))
        .execute(conn)?;
    Ok(())
}

/// Events about one source, oldest first.
pub fn for_source(conn: &mut PgConnection, identifier: &str) -> Result<Vec<Event>> {
    Ok(events::table
        .filter(events::source_identifier.eq(identifier))
        .order(events::id.asc())
        .select(Event::as_select())
        .load(conn)?)
}

/// What `DescribeEvents` selects; `None` (or no category) matches everything. Categories are
/// the caller's words: one this service never records matches nothing.
#[derive(Debug, Clone)]
pub struct EventFilter {
    pub source_type: SourceType,
    pub source_identifier: Option<String>,
    pub categories: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// One page of `account`'s events in time order, after the event id `after` (a system
/// instance's are the system account's, so never listed).
pub fn list(
    conn: &mut PgConnection,
    account: &str,
    filter: &EventFilter,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Event>> {
    let mut query = events::table
        .select(Event::as_select())
        .filter(events::account_id.eq(account))
        .filter(events::source_type.eq(filter.source_type.as_str()))
        .filter(events::created_at.ge(filter.start))
        .filter(events::created_at.le(filter.end))
        .order(events::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(source) = &filter.source_identifier {
        query = query.filter(events::source_identifier.eq(source));
    }
    if !filter.categories.is_empty() {
        query = query.filter(events::categories.overlaps_with(&filter.categories));
    }
    if let Some(after) = after {
        query = query.filter(events::id.gt(after));
    }
    Ok(query.load(conn)?)
}
