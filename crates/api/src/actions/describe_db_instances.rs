//! `DescribeDBInstances`: one instance by identifier or ARN, or a page of them filtered by
//! `db-instance-id`, `dbi-resource-id` or `engine`, with `MaxRecords` (20–100) and `Marker`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html>

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::view;
use cornac_inventory::instances::{self, ListFilter};
use cornac_inventory::{tags, PgConnection};
use cornac_wire::shapes::{DbInstances, DescribeDbInstancesResult};
use cornac_wire::{AwsError, Params};

pub fn handle(ctx: &Ctx, conn: &mut PgConnection, params: &Params) -> Result<Reply, ApiError> {
    let limit = params.int("MaxRecords", 20, 100)?.unwrap_or(100);
    let mut filter = ListFilter::default();
    if let Some(raw) = params.get("DBInstanceIdentifier") {
        filter
            .identifiers
            .push(view::identifier(ctx, "DBInstanceIdentifier", raw)?.to_string());
    }
    for f in params.filters()? {
        match f.name.as_str() {
            "db-instance-id" => {
                for v in &f.values {
                    filter
                        .identifiers
                        .push(view::identifier(ctx, "Filters", v)?.to_string());
                }
            }
            "dbi-resource-id" => filter.resource_ids.extend(f.values),
            "engine" => filter.engines.extend(f.values),
            other => {
                return Err(AwsError::invalid(
                    "Filters",
                    format!("unrecognized filter name: {other}"),
                )
                .into())
            }
        }
    }
    let mut rows = instances::list(conn, &filter, params.get("Marker"), limit + 1)?;
    if rows.is_empty() {
        if let Some(raw) = params.get("DBInstanceIdentifier") {
            // The inventory is never listed; asked for by name, the refusal says why.
            view::find(ctx, conn, "DBInstanceIdentifier", raw)?;
            return Err(AwsError::not_found(
                view::identifier(ctx, "DBInstanceIdentifier", raw)?.as_str(),
            )
            .into());
        }
    }
    let marker = (rows.len() as i64 > limit).then(|| {
        rows.truncate(usize::try_from(limit).unwrap_or(100));
        rows.last()
            .map(|r| r.identifier.clone())
            .unwrap_or_default()
    });
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_instances(conn, &ids)?;
    let instances = rows
        .into_iter()
        .map(|row| {
            let tags = all_tags.remove(&row.id).unwrap_or_default();
            view::instance(ctx, row, tags)
        })
        .collect();
    Ok(ctx.reply(&DescribeDbInstancesResult {
        marker,
        instances: DbInstances { instances },
    }))
}
