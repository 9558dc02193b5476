//! Backups of libvirt instances with pgBackRest, the host as repository host (see `backrest`):
//! the first full, each later one incremental on the one before, each found again by its key
//! (the `cornac-key` annotation); the WAL a backup needs is pulled from the guest's spool into
//! the host's repository before the backup counts as taken. Deleting follows the local
//! provider's rules (`Repo::remove`); the last one takes the stanza's repository with it. Each
//! call holds the repository's lock (the local provider's `repo_lock`).

use super::guest::{self, Guest};
use super::transfer::Way;
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
        let domain = self.existing(id)?;
        if !domain.is_active().unwrap_or(false) {
            return Err(ProviderError::Permanent(format!(
                "instance {id} is not running, so it cannot be backed up"
            )));
        }
        let metadata = Self::metadata(&domain)?;
        let major = guest::major_number(&metadata.major)?;
        let guest = self.guest(id, self.guest_address(&domain)?, &metadata);
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
                    &backrest::archiving_script(&repo.stanza, major, true),
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
        self.collect_wal(&guest, &repo, &set, major)
    }

    /// `pgbackrest <args>` on `repo`, reaching the guest's cluster over SSH.
    fn remote(
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
    /// do once its last segment is there), and turn the guest's archiving off again.
    fn collect_wal(
        &self,
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
            &backrest::wait_script(stanza, &stop, timeout.as_secs()),
        )?;
        guest.shell(timeout, &backrest::archiving_script(stanza, major, false))?;
        let archive = repo.path().join("archive").join(stanza);
        let mut untar = tokio::process::Command::new("tar");
        untar
            .args(["-x", "--no-same-owner", "-f", "-", "-C"])
            .arg(&archive);
        guest.stream(timeout, untar, &backrest::spool_tar(stanza), Way::FromGuest)?;
        if !backrest::archived(repo, &stop) {
            return Err(ProviderError::Transient(format!(
                "WAL segment {stop} did not reach the repository of {stanza}"
            )));
        }
        guest
            .shell(timeout, &backrest::spool_clear(stanza))
            .map(drop)
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
