//! From snapshot rows to the `DBSnapshot` shape, and finding a snapshot by identifier or ARN,
//! in the region this service answers for and the caller's account.

use crate::error::ApiError;
use crate::view::{tag_list, Scope};
use cornac_domain::{SnapshotIdentifier, SnapshotStatus};
use cornac_inventory::snapshots::{self, DbSnapshot};
use cornac_inventory::{tags, PgConnection};
use cornac_wire::actions::TaggedResource;
use cornac_wire::snapshot_shape;
use cornac_wire::AwsError;

const TIME: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

/// The snapshot `account` calls `id`, or `DBSnapshotNotFound` (as for another account's).
pub fn find(
    conn: &mut PgConnection,
    account: &str,
    id: &SnapshotIdentifier,
) -> Result<DbSnapshot, ApiError> {
    Ok(snapshots::find_in(conn, account, id.as_str())?
        .ok_or_else(|| AwsError::snapshot_not_found(id.as_str()))?)
}

/// Whose tags a `ResourceName` names: a snapshot's ARN, or an instance's (ARN or identifier).
pub fn tag_owner(
    conn: &mut PgConnection,
    account: &str,
    resource: &TaggedResource,
) -> Result<tags::Owner, ApiError> {
    Ok(match resource {
        TaggedResource::Snapshot(id) => tags::Owner::snapshot(find(conn, account, id)?.id),
        TaggedResource::Instance(id) => {
            tags::Owner::instance(crate::view::find(conn, account, "ResourceName", id)?.id)
        }
    })
}

/// The `DBSnapshot` shape of `row` with its tags.
pub fn snapshot(
    scope: Scope,
    row: DbSnapshot,
    tags: Vec<(String, String)>,
) -> snapshot_shape::DbSnapshot {
    snapshot_shape::DbSnapshot {
        snapshot_create_time: (row.status != SnapshotStatus::Creating)
            .then(|| row.snapshot_create_time.format(TIME).to_string()),
        identifier: row.identifier,
        instance_identifier: row.instance_identifier,
        engine: row.engine,
        allocated_storage: row.allocated_storage,
        status: row.status.to_string(),
        port: row.port,
        availability_zone: format!("{}a", scope.region),
        instance_create_time: row.instance_create_time.format(TIME).to_string(),
        master_username: row.master_username,
        engine_version: row.engine_version,
        license_model: "postgresql-license",
        snapshot_type: row.snapshot_type.to_string(),
        percent_progress: row.percent_progress,
        source_snapshot_identifier: row.source_snapshot_identifier,
        storage_type: "gp2",
        encrypted: false,
        arn: row.arn,
        iam_auth: false,
        dbi_resource_id: row.dbi_resource_id,
        tag_list: tag_list(tags),
        snapshot_target: "region",
    }
}

/// The snapshot `identifier` as it now is, with its tags, as the single-snapshot actions answer.
pub fn by_identifier(
    scope: Scope,
    conn: &mut PgConnection,
    identifier: &str,
) -> Result<snapshot_shape::DbSnapshot, ApiError> {
    let row = snapshots::find_in(conn, scope.account_id, identifier)?
        .ok_or_else(|| AwsError::snapshot_not_found(identifier))?;
    with_tags(scope, conn, row)
}

/// `row` with its tags.
pub fn with_tags(
    scope: Scope,
    conn: &mut PgConnection,
    row: DbSnapshot,
) -> Result<snapshot_shape::DbSnapshot, ApiError> {
    let tags = tags::list(conn, tags::Owner::snapshot(row.id))?;
    Ok(snapshot(scope, row, tags))
}
