//! `RestoreDBInstanceToPointInTime`: a new instance, `creating`, with the source instance's
//! data as it was at `RestoreTime` (or at the latest time its archived WAL reaches), its engine
//! version, storage, database and master user (its password verifier too); its create job
//! restores through the provider (`Provider::restore` with `RestorePoint::Time` or `Latest`).
//! The time is checked against the restorable window the worker last wrote into the source's
//! row, never by asking the provider here. The source needs backups on
//! (`BackupRetentionPeriod` > 0) on a provider that restores to a point in time, else
//! `PointInTimeRestoreNotEnabled`; a time outside the window is `InvalidRestoreFault`. The new
//! instance keeps the source's retention unless given its own. Quotas are those of a create.
//! The source may be a deleted instance whose automated backups are retained (by
//! `SourceDbiResourceId` or `SourceDBInstanceAutomatedBackupsArn`): its window is the retained
//! backup's, and what the new instance takes of it (version, storage, database, master user)
//! comes from its newest available automated snapshot.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceToPointInTime.html>

use super::Ctx;
use crate::automated_backup_view::{self, Retained};
use crate::error::ApiError;
use crate::{provision, restore_options, view};
use chrono::SecondsFormat;
use cornac_domain::{
    InstanceSpec, ProviderKind, ResourceId, RestorableWindow, RestorePoint, RestoreSource,
};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{Connection, PgConnection};
use cornac_wire::actions::restore_db_instance_to_point_in_time::{
    RestoreDbInstanceToPointInTimeInput, RestoreDbInstanceToPointInTimeOutput, RestoreTo,
    SourceInstance,
};
use cornac_wire::{AwsError, ErrorCode};

pub fn handle(
    ctx: &Ctx,
    conn: &mut PgConnection,
    input: RestoreDbInstanceToPointInTimeInput,
) -> Result<RestoreDbInstanceToPointInTimeOutput, ApiError> {
    let instance = conn.transaction(|conn| {
        let source = find_source(conn, ctx.account_id, &input.source)?;
        if instances::find_in(conn, ctx.account_id, input.target.as_str())?.is_some() {
            return Err(AwsError::already_exists().into());
        }
        let point = point(ctx, &source, input.to)?;
        let described = match point {
            RestorePoint::Time(time) => format!(
                "{} at {}",
                source.identifier,
                time.to_rfc3339_opts(SecondsFormat::Millis, true)
            ),
            _ => format!("{} at its latest restorable time", source.identifier),
        };
        let retention = input
            .backup_retention_period
            .map_or(source.retention, |days| {
                i32::try_from(days).unwrap_or_default()
            });
        let new = restore_options::new_instance(
            ctx.state,
            input.target,
            input.options,
            u8::try_from(retention).unwrap_or_default(),
            |class, port| {
                let mut spec = source.spec.clone();
                spec.resource_id = ResourceId::generate();
                if let Some(class) = class {
                    spec.instance_class = class.to_owned();
                }
                spec.port = port;
                Ok(spec)
            },
        )?;
        let restore = RestoreSource {
            instance: ResourceId::parse(&source.resource_id)?,
            point,
        };
        let from = provision::Source::Point(&restore, &described);
        let row = provision::record(ctx.state, ctx.account_id, conn, &new, from)?;
        view::instance_with_tags(ctx.scope(), conn, row)
    })?;
    Ok(RestoreDbInstanceToPointInTimeOutput { instance })
}

/// What a restore reads of its source: a live instance, or a deleted one's retained backups.
struct Source {
    identifier: String,
    resource_id: String,
    provider: ProviderKind,
    retention: i32,
    window: Option<RestorableWindow>,
    /// The source's spec (under its own resource id, which the restore replaces).
    spec: InstanceSpec,
}

impl Source {
    fn live(row: DbInstance) -> Result<Self, ApiError> {
        Ok(Self {
            spec: row.spec()?,
            window: row.restorable_window(),
            identifier: row.identifier,
            resource_id: row.resource_id,
            provider: row.provider,
            retention: row.backup_retention_period,
        })
    }

    fn retained(kept: Retained) -> Result<Self, ApiError> {
        let (row, newest) = (kept.row, kept.newest);
        Ok(Self {
            spec: newest.restore_spec(ResourceId::parse(&row.dbi_resource_id)?, None, None)?,
            window: row.restorable_window(),
            identifier: row.instance_identifier,
            resource_id: row.dbi_resource_id,
            provider: newest.provider,
            retention: row.backup_retention_period,
        })
    }
}

/// `account`'s source, by identifier, or by resource id (a live instance's, else retained
/// automated backups'); a system instance is refused, as by every action, and another
/// account's is not found.
fn find_source(
    conn: &mut PgConnection,
    account: &str,
    source: &SourceInstance,
) -> Result<Source, ApiError> {
    let (id, parameter) = match source {
        SourceInstance::Identifier(id) => {
            return Source::live(view::find(conn, account, "SourceDBInstanceIdentifier", id)?)
        }
        SourceInstance::ResourceId(id) => (id, "SourceDbiResourceId"),
        SourceInstance::AutomatedBackups(id) => (id, "SourceDBInstanceAutomatedBackupsArn"),
    };
    let live = instances::find_by_resource_id(conn, id.as_str())?
        .filter(|row| row.system || row.account_id == account);
    if let Some(row) = live {
        return match row.system_refusal() {
            Some(why) => Err(AwsError::invalid(parameter, why).into()),
            None => Source::live(row),
        };
    }
    match automated_backup_view::find_retained(conn, account, id)? {
        Some(kept) => Source::retained(kept),
        None if matches!(source, SourceInstance::AutomatedBackups(_)) => {
            Err(AwsError::automated_backup_not_found(id.as_str()).into())
        }
        None => Err(AwsError::not_found(id.as_str()).into()),
    }
}

/// Where in `source`'s backups the restore lands, checked against its restorable window.
fn point(ctx: &Ctx, source: &Source, to: RestoreTo) -> Result<RestorePoint, ApiError> {
    let not_enabled = |why: String| AwsError::new(ErrorCode::PointInTimeRestoreNotEnabled, why);
    if !ctx.state.point_in_time || source.provider != ctx.state.provider_kind {
        return Err(not_enabled(format!(
            "DB instance {} is on the {} provider, which cannot restore to a point in time",
            source.identifier, source.provider
        ))
        .into());
    }
    if source.retention == 0 {
        return Err(not_enabled(format!(
            "DB instance {} has automated backups off (BackupRetentionPeriod 0)",
            source.identifier
        ))
        .into());
    }
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    let window = source.window.ok_or_else(|| {
        AwsError::new(
            ErrorCode::InvalidRestore,
            format!(
                "DB instance {} has no restorable time yet: no backup has been taken",
                source.identifier
            ),
        )
    })?;
    match to {
        RestoreTo::Latest => Ok(RestorePoint::Latest),
        RestoreTo::Time(time) if (window.earliest..=window.latest).contains(&time) => {
            Ok(RestorePoint::Time(time))
        }
        RestoreTo::Time(time) => Err(AwsError::new(
            ErrorCode::InvalidRestore,
            format!(
                "RestoreTime {} is outside the restorable window of DB instance {}: {} to {}",
                stamp(time),
                source.identifier,
                stamp(window.earliest),
                stamp(window.latest)
            ),
        )
        .into()),
    }
}
