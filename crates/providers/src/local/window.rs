//! The restorable window of an instance's backups (local and libvirt): a continuous span only
//! from the first backup that ended after continuous archiving last started, while it is on
//! (before, the archive has gaps); else only the backups' own end points. When archiving
//! last started is kept in the stanza's directory (`cornac-archiving-since`).

use super::archiving;
use super::cluster::Running;
use super::pgbackrest::Repo;
use super::run_as::RunAs;
use super::{tenant_file, LocalProvider};
use chrono::{DateTime, Utc};
use cornac_domain::{ProviderError, ResourceId, RestorableWindow};

/// In the stanza's directory: when continuous archiving last started (Unix seconds, rounded
/// up), while it is on.
const SINCE: &str = "cornac-archiving-since";

/// When continuous archiving last started (Unix seconds), while it is on; `None` when it is
/// off (or was never on). The file is in the tenant's directory: a wrong time there only
/// misleads that tenant's own window.
pub fn since(repo: &Repo) -> Option<i64> {
    tenant_file::read(&repo.dir, SINCE)
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Record that continuous archiving reaches the repository from now on (once the server
/// pushes), unless it already did since an earlier start.
pub fn started(repo: &Repo, owner: &RunAs) -> Result<(), ProviderError> {
    if since(repo).is_some() {
        return Ok(());
    }
    let now = Utc::now();
    let secs = now.timestamp() + i64::from(now.timestamp_subsec_nanos() > 0);
    tenant_file::write(&repo.dir, SINCE, &format!("{secs}\n"), owner)
}

/// Record that the archive is no longer continuous (the first step of turning archiving off).
pub fn stopped(repo: &Repo) -> Result<(), ProviderError> {
    if repo.exists() {
        tenant_file::remove(&repo.dir, SINCE)?;
    }
    Ok(())
}

/// The window of `repo`: archiving on, from the end of the first held backup that ended after
/// it started to the newest archived WAL, or the present when `present` says the instance has
/// nothing left to archive; off, or no backup since, from the end of the first held backup to
/// the end of the last.
pub fn of(
    repo: &Repo,
    present: impl FnOnce() -> Result<bool, ProviderError>,
) -> Result<Option<RestorableWindow>, ProviderError> {
    if !repo.exists() {
        return Ok(None);
    }
    let info = repo.info()?;
    let held: Vec<i64> = info
        .sets
        .iter()
        .filter(|s| !s.deleted())
        .map(|s| s.timestamp.stop)
        .collect();
    let (Some(first), Some(last)) = (held.iter().min(), held.iter().max()) else {
        return Ok(None);
    };
    let continuous_from =
        since(repo).and_then(|since| held.iter().filter(|stop| **stop >= since).min());
    // pgBackRest keeps whole seconds; the backup ends within the second after.
    let stamp = |secs: i64| {
        DateTime::<Utc>::from_timestamp(secs + 1, 0)
            .ok_or_else(|| ProviderError::Permanent(format!("odd backup times in {}", repo.stanza)))
    };
    let last = stamp(*last)?;
    let Some(from) = continuous_from else {
        return Ok(Some(RestorableWindow {
            earliest: stamp(*first)?,
            latest: last,
        }));
    };
    let earliest = stamp(*from)?;
    let mut latest = repo
        .archived_until()
        .map(DateTime::<Utc>::from)
        .map_or(last, |archived| archived.max(last));
    if present()? {
        latest = Utc::now();
    }
    Ok(Some(RestorableWindow {
        earliest,
        latest: latest.max(earliest),
    }))
}

impl LocalProvider {
    /// `Provider::restorable_window`: the present is restorable when the instance runs,
    /// archives and has nothing left to archive.
    pub(super) fn window(
        &self,
        instance: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError> {
        of(&self.backups.repo(instance), || {
            let Ok((cluster, install)) = self.existing(instance) else {
                return Ok(false);
            };
            Ok(cluster.status(install)? == Running::Yes
                && archiving::is_on(&cluster)
                && archiving::caught_up(&cluster)?)
        })
    }
}
