//! `DescribeDBSnapshots`: one snapshot by identifier or ARN, an instance's, or a page of them
//! filtered by `db-snapshot-id`, `db-instance-id`, `dbi-resource-id` or `snapshot-type`, with
//! `MaxRecords` (20–100) and `Marker`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html>

use super::Ctx;
use crate::error::ApiError;
use crate::snapshot_view;
use cornac_inventory::snapshots::{self, ListFilter};
use cornac_inventory::{tags, PgConnection};
use cornac_wire::actions::describe_db_snapshots::{
    DescribeDbSnapshotsInput, DescribeDbSnapshotsOutput,
};
use cornac_wire::snapshot_shape::DbSnapshots;
use cornac_wire::AwsError;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DescribeDbSnapshotsInput,
) -> Result<DescribeDbSnapshotsOutput, ApiError> {
    let scope = ctx.scope();
    let limit = input.max_records;
    let mut filter = ListFilter {
        resource_ids: input.resource_ids,
        types: input.types,
        ..ListFilter::default()
    };
    let named = input
        .snapshot
        .as_deref()
        .map(|raw| snapshot_view::identifier(scope, "DBSnapshotIdentifier", raw))
        .transpose()?;
    filter
        .identifiers
        .extend(named.iter().map(ToString::to_string));
    for v in &input.snapshot_ids {
        filter
            .identifiers
            .push(snapshot_view::identifier(scope, "Filters", v)?.to_string());
    }
    filter.instance_identifiers.extend(
        input
            .instance
            .iter()
            .chain(&input.instance_ids)
            .map(ToString::to_string),
    );
    let mut rows = snapshots::list(conn, &filter, input.marker.as_deref(), limit + 1)?;
    if let (Some(name), true) = (&named, rows.is_empty()) {
        // Asked for by name, a snapshot that is not there is an error (the deleted waiter's
        // success), as RDS answers.
        return Err(AwsError::snapshot_not_found(name.as_str()).into());
    }
    let marker = super::page(&mut rows, limit, |r| r.identifier.clone());
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_many(conn, tags::Kind::Snapshot, &ids)?;
    let snapshots = rows
        .into_iter()
        .map(|row| {
            let tags = all_tags.remove(&row.id).unwrap_or_default();
            snapshot_view::snapshot(scope, row, tags)
        })
        .collect();
    Ok(DescribeDbSnapshotsOutput {
        marker,
        snapshots: DbSnapshots { snapshots },
    })
}
