//! The new instance of a restore (`RestoreDBInstanceFromDBSnapshot`,
//! `RestoreDBInstanceToPointInTime`), from its source's spec and the options both take: the
//! port within the provider's range, the class, the parameter group (only the default group of
//! the source's engine), tags, deletion protection and `CopyTagsToSnapshot`.

use crate::error::ApiError;
use crate::AppState;
use cornac_domain::{InstanceIdentifier, InstanceSpec, Invalid, NewInstance};
use cornac_wire::actions::restore_options::{
    default_parameter_group, parameter_group_not_found, RestoreOptions,
};
use cornac_wire::form::in_range;

/// The instance `identifier` a restore records: `spec(class, port)` is the source's spec under
/// a new resource id, with the class and port asked for (`None`: the source's class, a port
/// the provider picks); `backup_retention_days` its own retention.
pub fn new_instance(
    state: &AppState,
    identifier: InstanceIdentifier,
    options: RestoreOptions,
    backup_retention_days: u8,
    spec: impl FnOnce(Option<&str>, Option<u16>) -> Result<InstanceSpec, Invalid>,
) -> Result<NewInstance, ApiError> {
    let ports = &state.ports;
    let port = options
        .port
        .map(|p| in_range("Port", p, (*ports.start()).into(), (*ports.end()).into()))
        .transpose()?
        .and_then(|p| u16::try_from(p).ok());
    let spec = spec(options.class.as_ref().map(|c| c.name), port)?;
    let major = spec.engine_version.split('.').next().unwrap_or_default();
    if let Some(name) = options
        .parameter_group
        .as_deref()
        .filter(|n| *n != default_parameter_group(major))
    {
        return Err(parameter_group_not_found(name).into());
    }
    Ok(NewInstance {
        identifier,
        spec,
        deletion_protection: options.deletion_protection,
        backup_retention_days,
        backup_window: cornac_domain::BackupWindow::DEFAULT,
        copy_tags_to_snapshot: options.copy_tags_to_snapshot,
        tags: options.tags.into_iter().map(Into::into).collect(),
    })
}
