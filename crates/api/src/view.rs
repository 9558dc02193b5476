//! From inventory rows to the `DBInstance` shape, and finding an instance by identifier or ARN,
//! in the region this service answers for and the caller's account.

use crate::error::ApiError;
use cornac_domain::InstanceIdentifier;
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{tags, PgConnection};
use cornac_wire::shapes::{self, Empty, Endpoint, TagList, TagOut};
use cornac_wire::AwsError;

/// Where instances live: their ARNs and availability zones are made from it.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub region: &'a str,
    pub account_id: &'a str,
}

/// The instance `account` calls `id` (by `parameter`), or `DBInstanceNotFound`, as for
/// another account's; a system instance (the inventory) is refused with
/// `InvalidParameterValue` saying why, since no action may read or change it.
pub fn find(
    conn: &mut PgConnection,
    account: &str,
    parameter: &'static str,
    id: &InstanceIdentifier,
) -> Result<DbInstance, ApiError> {
    let row = instances::find_in(conn, account, id.as_str())?
        .ok_or_else(|| AwsError::not_found(id.as_str()))?;
    match row.system_refusal() {
        Some(why) => Err(AwsError::invalid(parameter, why).into()),
        None => Ok(row),
    }
}

/// The `DBInstance` shape of `row` with its tags.
pub fn instance(scope: Scope, row: DbInstance, tags: Vec<(String, String)>) -> shapes::DbInstance {
    let port = row.endpoint_port.or(row.requested_port).unwrap_or(5432);
    shapes::DbInstance {
        endpoint: row
            .endpoint_address
            .clone()
            .zip(row.endpoint_port)
            .map(|(address, port)| Endpoint {
                address,
                port,
                hosted_zone_id: "Z2R2ITUGPM61AM",
            }),
        identifier: row.identifier,
        instance_class: row.instance_class,
        engine: row.engine,
        status: row.status.to_string(),
        master_username: row.master_username,
        db_name: row.db_name,
        allocated_storage: row.allocated_storage,
        create_time: row
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        backup_window: row.preferred_backup_window,
        backup_retention_period: row.backup_retention_period,
        security_groups: Empty {},
        vpc_security_groups: Empty {},
        availability_zone: format!("{}a", scope.region),
        maintenance_window: "sun:04:00-sun:04:30",
        pending: Empty {},
        latest_restorable_time: row
            .latest_restorable_time
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        multi_az: row.multi_az,
        engine_version: row.engine_version,
        auto_minor_version_upgrade: false,
        read_replicas: Empty {},
        license_model: "postgresql-license",
        publicly_accessible: false,
        storage_type: "gp2",
        db_instance_port: port,
        storage_encrypted: false,
        resource_id: row.resource_id,
        copy_tags_to_snapshot: row.copy_tags_to_snapshot,
        arn: row.arn,
        iam_auth: false,
        performance_insights: false,
        deletion_protection: row.deletion_protection,
        tag_list: tag_list(tags),
        customer_owned_ip: false,
        backup_target: "region",
        network_type: "IPV4",
    }
}

pub fn tag_list(tags: Vec<(String, String)>) -> TagList {
    TagList {
        tags: tags
            .into_iter()
            .map(|(key, value)| TagOut { key, value })
            .collect(),
    }
}

/// `row` with its tags, as the single-instance actions answer.
pub fn instance_with_tags(
    scope: Scope,
    conn: &mut PgConnection,
    row: DbInstance,
) -> Result<shapes::DbInstance, ApiError> {
    let tags = tags::list(conn, tags::Owner::instance(row.id))?;
    Ok(instance(scope, row, tags))
}
