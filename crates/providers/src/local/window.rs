//! The restorable window of a local instance's backups: a continuous span only from the first
//! backup that ended after continuous archiving last started, while it is on (before, the
//! archive has gaps); else only the backups' own end points.

use super::archiving;
use super::cluster::Running;
use super::LocalProvider;
use chrono::{DateTime, Utc};
use cornac_domain::{ProviderError, ResourceId, RestorableWindow};

impl LocalProvider {
    /// `Provider::restorable_window`. Archiving on: from the end of the first held backup that
    /// ended after it started to the newest archived WAL (the present when the instance runs,
    /// archives and has nothing left to archive). Off, or no backup since: from the end of the
    /// first held backup to the end of the last.
    pub(super) fn window(
        &self,
        instance: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError> {
        let repo = self.backups.repo(instance);
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
        let continuous_from = archiving::since(&repo)
            .and_then(|since| held.iter().filter(|stop| **stop >= since).min());
        // pgBackRest keeps whole seconds; the backup ends within the second after.
        let stamp = |secs: i64| {
            DateTime::<Utc>::from_timestamp(secs + 1, 0).ok_or_else(|| {
                ProviderError::Permanent(format!("odd backup times in {}", repo.stanza))
            })
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
        if let Ok((cluster, install)) = self.existing(instance) {
            if cluster.status(install)? == Running::Yes
                && archiving::is_on(&cluster)
                && archiving::caught_up(&cluster)?
            {
                latest = Utc::now();
            }
        }
        Ok(Some(RestorableWindow {
            earliest,
            latest: latest.max(earliest),
        }))
    }
}
