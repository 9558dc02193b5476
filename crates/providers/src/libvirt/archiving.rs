//! Continuous WAL archiving of a libvirt instance, for point-in-time restore: the guest pushes
//! into its spool with an `archive_timeout` (`spool`), and the host pulls the spool into the
//! instance's repository whenever the restorable window is read (`restorable_window`, which
//! the worker calls every `worker.window_secs` for each instance with backups), after each
//! backup, and before a restore to a point in time, so the guest never reaches the host. The
//! window is the local provider's (`local::window`), from the same repository.

use super::spool::{self, Archiving};
use super::transfer::Way;
use super::{guest, LibvirtProvider};
use crate::local::pgbackrest::Repo;
use crate::local::{repo_lock, window};
use cornac_domain::{ProviderError, ResourceId, RestorableWindow};
use std::time::Duration;

/// How long a pull of the window refresh may wait for a guest to answer: a guest that does
/// not answer keeps the window where the host's archive is, and holds up no other instance.
const PULL_TIMEOUT: Duration = Duration::from_secs(20);

impl LibvirtProvider {
    /// `Provider::set_archiving`. On: the host's stanza (made from the guest when missing),
    /// the guest's continuous push, then the time it started. Off: that time goes first (the
    /// archive is no longer continuous), then the push, then what the spool held. Each step
    /// can be made again.
    pub(super) fn archive(&self, id: &ResourceId, on: bool) -> Result<(), ProviderError> {
        let (guest, major) = self.running_guest(id, "its WAL archiving cannot change")?;
        let repo = self.backups.repo(id);
        let timeout = self.boot_timeout();
        if !on {
            let _held = repo.exists().then(|| repo_lock::hold(&repo)).transpose()?;
            window::stopped(&repo)?;
            let script = spool::archiving_script(&repo.stanza, major, Archiving::Off);
            return guest.shell(timeout, &script).map(drop);
        }
        repo.ensure(self.backups.me())?;
        let _held = repo_lock::hold(&repo)?;
        if repo.info()?.major.is_none() {
            self.remote(&repo, &guest, major, &["stanza-create".into()])?;
        }
        let script = spool::archiving_script(&repo.stanza, major, Archiving::Continuous);
        if guest.shell(timeout, &script)?.trim() == "started" {
            // A start of its own: the archive may have a gap before it.
            window::stopped(&repo)?;
        }
        window::started(&repo, self.backups.me())
    }

    /// Move what the guest's spool has archived into `repo` (whose lock the caller holds),
    /// waiting `timeout` for the guest; whether the archive then reaches the present (nothing
    /// left in the spool, the guest's archiver caught up). Nothing to do while the instance is
    /// gone or stopped, or before the host's stanza exists.
    pub(super) fn pull(
        &self,
        id: &ResourceId,
        repo: &Repo,
        timeout: Duration,
    ) -> Result<bool, ProviderError> {
        let archive = repo.path().join("archive").join(&repo.stanza);
        if !archive.join("archive.info").is_file() {
            return Ok(false);
        }
        let Some(domain) = self.find(id)? else {
            return Ok(false);
        };
        if !domain.is_active().unwrap_or(false) {
            return Ok(false);
        }
        let metadata = Self::metadata(&domain)?;
        let major = guest::major_number(&metadata.major)?;
        let guest = self.guest(id, self.guest_address(&domain)?, &metadata);
        // tar keeps the files' times: the newest is when the guest archived it.
        let mut untar = tokio::process::Command::new("tar");
        untar
            .args(["-x", "--no-same-owner", "-f", "-", "-C"])
            .arg(&archive);
        guest.stream(
            timeout,
            untar,
            &spool::pull_script(&repo.stanza),
            Way::FromGuest,
        )?;
        let said = guest.shell(timeout, &spool::clear_script(&repo.stanza, major))?;
        Ok(said.trim() == spool::CAUGHT_UP_WORD)
    }

    /// `Provider::restorable_window`: the spool pulled first while archiving is on (skipped
    /// while a backup or restore holds the repository, or the guest does not answer: the
    /// window is then where the host's archive is).
    pub(super) fn window(
        &self,
        instance: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError> {
        let repo = self.backups.repo(instance);
        if !repo.exists() {
            return Ok(None);
        }
        let mut present = false;
        if window::since(&repo).is_some() {
            if let Some(_held) = repo_lock::try_hold(&repo)? {
                match self.pull(instance, &repo, PULL_TIMEOUT) {
                    Ok(caught_up) => present = caught_up,
                    Err(e) => {
                        tracing::warn!(%instance, error = %e, "cannot pull the guest's WAL spool")
                    }
                }
            }
        }
        window::of(&repo, || Ok(present))
    }
}
