//! `DescribeDBInstanceAutomatedBackups`: the automated backups of live instances that keep them
//! (`active`, `creating` before the first) and the retained ones of deleted instances
//! (`retained`), by resource id, instance identifier or ARN, filtered by `dbi-resource-id`,
//! `db-instance-id` or `status`, a page of `MaxRecords` after `Marker` (a resource id).
//! Asked for by name, none listed is `DBInstanceAutomatedBackupNotFound`.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstanceAutomatedBackups.html>

use super::Ctx;
use crate::automated_backup_view;
use crate::error::ApiError;
use cornac_inventory::PgConnection;
use cornac_wire::actions::describe_db_instance_automated_backups::{
    DescribeDbInstanceAutomatedBackupsInput, DescribeDbInstanceAutomatedBackupsOutput,
};
use cornac_wire::automated_backup_shape::DbInstanceAutomatedBackups;
use cornac_wire::AwsError;

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: DescribeDbInstanceAutomatedBackupsInput,
) -> Result<DescribeDbInstanceAutomatedBackupsOutput, ApiError> {
    let resource_ids = super::strings(input.resource_ids);
    let instances = super::strings(input.instances);
    let among = |selector: &Option<Vec<String>>, value: &str| {
        selector
            .as_ref()
            .is_none_or(|values| values.iter().any(|v| v == value))
    };
    let mut listed: Vec<_> = automated_backup_view::all(ctx.scope(), conn)?
        .into_iter()
        .filter(|b| among(&resource_ids, &b.dbi_resource_id))
        .filter(|b| among(&instances, &b.instance_identifier))
        .filter(|b| {
            input
                .statuses
                .as_ref()
                .is_none_or(|statuses| statuses.contains(&b.status))
        })
        .filter(|b| {
            input
                .marker
                .as_deref()
                .is_none_or(|after| b.dbi_resource_id.as_str() > after)
        })
        .collect();
    if let (Some(name), true) = (&input.named, listed.is_empty()) {
        return Err(AwsError::automated_backup_not_found(name).into());
    }
    let marker = super::page(&mut listed, input.max_records, |b| {
        b.dbi_resource_id.clone()
    });
    Ok(DescribeDbInstanceAutomatedBackupsOutput {
        marker,
        backups: DbInstanceAutomatedBackups { backups: listed },
    })
}
