//! Where a restore of an instance's pgBackRest backups stops (local and libvirt), as
//! `pgbackrest restore` options: the end of a backup (`--set`, no recovery), a point in time
//! (`--type=time`, then promote), or the end of the archive (`--type=default`).

use super::pgbackrest::{Info, Repo};
use chrono::{DateTime, Utc};
use cornac_domain::{ProviderError, ResourceId, RestorableWindow, RestorePoint};

/// The options that restore `point` of `instance`, whose stanza `source` holds `info`;
/// `window` is asked only for a time, which must not be before its earliest (pgBackRest would
/// fail on it only after laying the data down).
pub fn options(
    point: &RestorePoint,
    instance: &ResourceId,
    source: &Repo,
    info: &Info,
    window: impl FnOnce() -> Result<Option<RestorableWindow>, ProviderError>,
) -> Result<Vec<String>, ProviderError> {
    match point {
        RestorePoint::Backup(key) => {
            let set = info.find(key.as_str()).ok_or_else(|| {
                ProviderError::Permanent(format!("there is no backup {key} of {instance}"))
            })?;
            Ok(vec![format!("--set={}", set.label), "--type=none".into()])
        }
        RestorePoint::Time(time) => {
            let earliest = window()?
                .ok_or_else(|| {
                    ProviderError::Permanent(format!("there are no backups of {instance}"))
                })?
                .earliest;
            if *time < earliest {
                return Err(ProviderError::Permanent(format!(
                    "{} is before {earliest}, the earliest restorable time of {instance}",
                    time.to_rfc3339()
                )));
            }
            // Every archived record is older than the archive's newest file: a target at or
            // after it is the latest (PostgreSQL 13+ refuses a time target it never reaches,
            // as on an idle instance whose latest restorable time is now).
            if at_or_after(time, source.archived_until()) {
                return Ok(vec!["--type=default".into()]);
            }
            Ok(vec![
                "--type=time".into(),
                format!("--target={}", time.format("%Y-%m-%d %H:%M:%S%.6f+00")),
                "--target-action=promote".into(),
            ])
        }
        RestorePoint::Latest => Ok(vec!["--type=default".into()]),
    }
}

/// Whether `time` is at or after `until` (the archive's newest file), when there is one.
fn at_or_after(time: &DateTime<Utc>, until: Option<std::time::SystemTime>) -> bool {
    until.is_some_and(|until| *time >= DateTime::<Utc>::from(until))
}
