//! Backups of libvirt instances with pgBackRest, the host as repository host (see `backrest`):
//! the first full, each later one incremental on the one before, each found again by its key
//! (the `cornac-key` annotation); the WAL a backup needs is pulled from the guest's spool into
//! the host's repository before the backup counts as taken. Deleting follows the local
//! provider's rules (`Repo::remove`); the last one takes the stanza's repository with it. Each
//! call holds the repository's lock (the local provider's `repo_lock`).

use super::guest::Guest;
use super::spool::{self, Archiving};
use super::{backrest, LibvirtProvider};
use crate::command;
use crate::local::pgbackrest::{Repo, Set, KEY};
use crate::local::repo_lock;
use cornac_domain::{BackupKey, ProviderError, ResourceId};

impl LibvirtProvider {
    /// `Provider::backup`.
    pub(super) fn take_backup(
        &self,
        id: &ResourceId,
        key: &BackupKey,
    ) -> Result<(), ProviderError> {
        let (guest, major) = self.running_guest(id, "it cannot be backed up")?;
        let repo = self.backups.repo(id);
        repo.ensure(self.backups.me())?;
        let _held = repo_lock::hold(&repo)?;
        let info = repo.sweep()?;
        let set = match info.find(key.as_str()) {
            Some(set) => set.clone(),
            None => {
                let timeout = self.boot_timeout();
                guest.shell(
                    timeout,
                    &spool::archiving_script(&repo.stanza, major, Archiving::ForBackup),
                )?;
                if info.major.is_none() {
                    self.remote(&repo, &guest, major, &["stanza-create".into()])?;
                }
                // The host's archive gets the backup's WAL from the spool after, not during.
                let args = [
                    "--no-archive-check".to_owned(),
                    format!("--type={}", info.next_kind()),
                    format!("--annotation={KEY}={key}"),
                    "backup".into(),
                ];
                self.remote(&repo, &guest, major, &args)?;
                repo.info()?.find(key.as_str()).cloned().ok_or_else(|| {
                    ProviderError::Transient(format!("backup {key} of {id} is not in its stanza"))
                })?
            }
        };
        self.collect_wal(id, &guest, &repo, &set, major)
    }

    /// `pgbackrest <args>` on `repo`, reaching the guest's cluster over SSH.
    pub(super) fn remote(
        &self,
        repo: &Repo,
        guest: &Guest,
        major: u32,
        args: &[String],
    ) -> Result<(), ProviderError> {
        let mut options = backrest::remote_options(&self.ssh_wrapper, guest, major);
        options.extend(args.iter().cloned());
        let mut cmd = repo.command(&options)?;
        cmd.env(backrest::KNOWN_HOSTS_ENV, &guest.known_hosts);
        command::run(&mut cmd).map(drop)
    }

    /// Bring the WAL `set` needs from the guest's spool into the host's repository (nothing to
    /// do once its last segment is there), and turn the guest's archiving for the backup off
    /// again (continuous archiving stays).
    fn collect_wal(
        &self,
        id: &ResourceId,
        guest: &Guest,
        repo: &Repo,
        set: &Set,
        major: u32,
    ) -> Result<(), ProviderError> {
        let Some(stop) = set.archive.as_ref().and_then(|a| a.stop.clone()) else {
            return Err(ProviderError::Permanent(format!(
                "backup {} of {} names no WAL",
                set.label, repo.stanza
            )));
        };
        if backrest::archived(repo, &stop) {
            return Ok(());
        }
        let timeout = self.boot_timeout();
        let stanza = &repo.stanza;
        guest.shell(
            timeout,
            &spool::wait_script(stanza, &stop, timeout.as_secs()),
        )?;
        guest.shell(
            timeout,
            &spool::archiving_script(stanza, major, Archiving::AfterBackup),
        )?;
        self.pull(id, repo, timeout)?;
        if backrest::archived(repo, &stop) {
            Ok(())
        } else {
            Err(ProviderError::Transient(format!(
                "WAL segment {stop} did not reach the repository of {stanza}"
            )))
        }
    }

    /// `Provider::delete_backup`.
    pub(super) fn drop_backup(
        &self,
        instance: &ResourceId,
        key: &BackupKey,
    ) -> Result<(), ProviderError> {
        let repo = self.backups.repo(instance);
        repo.delete_then(key.as_str(), |info| {
            if !info.sets.is_empty() {
                return Ok(());
            }
            std::fs::remove_dir_all(&repo.dir).map_err(|e| {
                ProviderError::Transient(format!("cannot remove {}: {e}", repo.dir.display()))
            })
        })
    }
}
