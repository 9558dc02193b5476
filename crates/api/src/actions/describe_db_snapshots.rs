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
    let filter = ListFilter {
        identifiers: super::strings(input.identifiers),
        instance_identifiers: super::strings(input.instances),
        resource_ids: input.resource_ids,
        types: input.types,
    };
    let mut rows = snapshots::list(
        conn,
        ctx.account_id,
        &filter,
        input.marker.as_deref(),
        limit + 1,
    )?;
    if let (Some(name), true) = (&input.named, rows.is_empty()) {
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
