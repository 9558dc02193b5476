//! Where a restore of an instance's pgBackRest backups stops (local and libvirt), as
//! `pgbackrest restore` options: the end of a backup (`--set`, no recovery), a point in time
//! (`--type=time`, then promote), or the end of the archive (`--type=default`); and what to do
//! when a time target is never reached.

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

/// What PostgreSQL (13+) logs when it replays the whole archive without finding a commit after
/// a time target: none was made between that time and the archive's end, so the archive's end
/// is that time's state.
pub const NOT_REACHED: &str = "recovery ended before configured recovery target was reached";

/// Where pgBackRest writes the recovery settings, in the data directory.
pub const AUTO_CONF: &str = "postgresql.auto.conf";

/// `postgresql.auto.conf` (as `restore --type=time` wrote it) without its recovery target, so
/// the next start replays to the archive's end and promotes; `None` when it names no target.
pub fn untargeted(auto_conf: &str) -> Option<String> {
    let targeted = |line: &&str| line.trim_start().starts_with("recovery_target");
    if !auto_conf.lines().any(|line| targeted(&line)) {
        return None;
    }
    let kept: Vec<&str> = auto_conf.lines().filter(|l| !targeted(l)).collect();
    Some(kept.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_target_is_dropped() {
        let conf = "# by pgBackRest\nrestore_command = 'x'\nrecovery_target_time = '2026-12-02'\n\
                    recovery_target_action = 'promote'\n";
        assert_eq!(
            super::untargeted(conf).as_deref(),
            Some("# by pgBackRest\nrestore_command = 'x'\n")
        );
        assert_eq!(super::untargeted("restore_command = 'x'\n"), None);
    }
}
