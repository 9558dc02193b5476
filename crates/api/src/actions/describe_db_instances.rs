//! `DescribeDBInstances`: one instance by identifier or ARN, or a page of them filtered by
//! `db-instance-id`, `dbi-resource-id` or `engine`, with `MaxRecords` (20–100) and `Marker`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html>

use super::Ctx;
use crate::error::ApiError;
use crate::view;
use cornac_inventory::instances::{self, ListFilter};
use cornac_inventory::{tags, PgConnection};
use cornac_wire::actions::describe_db_instances::{
    DbInstances, DescribeDbInstancesInput, DescribeDbInstancesOutput,
};
use cornac_wire::AwsError;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DescribeDbInstancesInput,
) -> Result<DescribeDbInstancesOutput, ApiError> {
    let scope = ctx.scope();
    let limit = input.max_records;
    let filter = ListFilter {
        identifiers: super::strings(input.identifiers),
        resource_ids: input.resource_ids,
        engines: input.engines,
    };
    let mut rows = instances::list(
        conn,
        ctx.account_id,
        &filter,
        input.marker.as_deref(),
        limit + 1,
    )?;
    if rows.is_empty() {
        if let Some(id) = &input.named {
            // The inventory is never listed; asked for by name, the refusal says why.
            view::find(conn, ctx.account_id, "DBInstanceIdentifier", id)?;
            return Err(AwsError::not_found(id.as_str()).into());
        }
    }
    let marker = super::page(&mut rows, limit, |r| r.identifier.clone());
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_many(conn, tags::Kind::Instance, &ids)?;
    let instances = rows
        .into_iter()
        .map(|row| {
            let tags = all_tags.remove(&row.id).unwrap_or_default();
            view::instance(scope, row, tags)
        })
        .collect();
    Ok(DescribeDbInstancesOutput {
        marker,
        instances: DbInstances { instances },
    })
}
