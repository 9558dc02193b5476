//! Backups of local instances with pgBackRest: the first full, each later one incremental on
//! the one before, each found again by its key (the `cornac-key` annotation). A deleted backup
//! that a held one still needs is only marked deleted, and goes with the last one that needs
//! it; so deleting one key never breaks another.

use super::cluster::Running;
use super::pgbackrest::{Info, Repo};
use super::LocalProvider;
use super::{archiving, repo_lock};
use chrono::{DateTime, Utc};
use cornac_domain::{BackupKey, ProviderError, ResourceId, RestorableWindow};

impl LocalProvider {
    /// `Provider::backup`.
    pub(super) fn take_backup(
        &self,
        id: &ResourceId,
        key: &BackupKey,
    ) -> Result<(), ProviderError> {
        let (cluster, install) = self.existing(id)?;
        if cluster.status(install)? != Running::Yes {
            return Err(ProviderError::Permanent(format!(
                "instance {id} is not running, so it cannot be backed up"
            )));
        }
        let owner = cluster.runner()?;
        let repo = self.backups.repo(id);
        repo.ensure(&owner)?;
        let _held = repo_lock::hold(&repo)?;
        let info = repo.info()?;
        if info.find(key.as_str()).is_some() {
            return Ok(());
        }
        // pgBackRest logs in as `cornac_backup` through the socket, as the cluster's own user.
        super::backup_role::ensure(&cluster)?;
        if cluster.secure(&cluster.data(), &self.service.name)? {
            cluster.reload(install)?;
        }
        if info.major.is_none() {
            repo.stanza_create(&cluster.data())?;
        }
        let continuous = archiving::is_on(&cluster);
        let address = &self.settings.address;
        if !continuous {
            // The backup's own WAL must reach the archive, from which it is copied into the
            // backup (archive-copy); a crash here leaves the push on until the next backup or
            // set_archiving.
            archiving::write(&cluster, &repo, &owner, address, (true, false))?;
            archiving::apply(&cluster, install, true)?;
        }
        let kind = if info.sets.is_empty() { "full" } else { "incr" };
        let args = [
            format!("--pg1-path={}", cluster.data().display()),
            format!("--pg1-socket-path={}", cluster.dir.display()),
            format!("--pg1-port={}", cluster.port()?),
            format!("--pg1-user={}", super::backup_role::ROLE),
            format!("--type={kind}"),
            format!("--annotation={}={key}", super::pgbackrest::KEY),
            "backup".into(),
        ];
        let made = repo.run(&args);
        if !continuous {
            archiving::write(&cluster, &repo, &owner, address, (false, false))?;
            archiving::apply(&cluster, install, false)?;
        }
        made
    }

    /// `Provider::delete_backup`.
    pub(super) fn drop_backup(
        &self,
        instance: &ResourceId,
        key: &BackupKey,
    ) -> Result<(), ProviderError> {
        let repo = self.backups.repo(instance);
        if !repo.exists() {
            return Ok(());
        }
        let _held = repo_lock::hold(&repo)?;
        let info = repo.info()?;
        let Some(set) = info.find(key.as_str()) else {
            return self.forget_if_done(instance, &repo, &info);
        };
        if info.sets.iter().any(|other| set.needed_by(other)) {
            return repo.mark_deleted(&set.label);
        }
        let mut label = set.label.clone();
        let mut info = info;
        loop {
            if info.sets.iter().all(|s| s.label == label) {
                // The last one: pgBackRest keeps a stanza's last full backup, so it goes with
                // all the stanza holds.
                repo.wipe()?;
                return self.forget_if_done(instance, &repo, &repo.info()?);
            }
            repo.expire(&label)?;
            info = repo.info()?;
            // A backup marked deleted that nothing needs any more goes too.
            let free = info
                .sets
                .iter()
                .find(|s| s.deleted() && !info.sets.iter().any(|o| s.needed_by(o)));
            match free {
                Some(next) => label = next.label.clone(),
                None => return Ok(()),
            }
        }
    }

    /// Once the instance is gone and none of its backups is left, remove its repository; while
    /// it lives and archives, its stanza is made again for the WAL to come.
    fn forget_if_done(
        &self,
        instance: &ResourceId,
        repo: &Repo,
        info: &Info,
    ) -> Result<(), ProviderError> {
        if !info.sets.is_empty() {
            return Ok(());
        }
        let cluster = self.cluster(instance);
        if !cluster.exists() {
            return std::fs::remove_dir_all(&repo.dir).map_err(|e| {
                ProviderError::Transient(format!("cannot remove {}: {e}", repo.dir.display()))
            });
        }
        if archiving::is_on(&cluster) {
            repo.ensure(&cluster.runner()?)?;
            repo.stanza_create(&cluster.data())?;
        }
        Ok(())
    }

    /// At `delete`, once the instance's processes are gone and before its user is: its
    /// backups become this service's (a later user with the same uid must not read them), or
    /// go when there are none.
    pub(super) fn keep_backups(&self, id: &ResourceId) -> Result<(), ProviderError> {
        let repo = self.backups.repo(id);
        if !repo.exists() {
            return Ok(());
        }
        if repo.info()?.sets.is_empty() {
            return std::fs::remove_dir_all(&repo.dir).map_err(|e| {
                ProviderError::Transient(format!("cannot remove {}: {e}", repo.dir.display()))
            });
        }
        self.backups.me().own_tree(&repo.dir)
    }

    /// `Provider::restorable_window`: from the end of the first backup held to the newest
    /// archived WAL (the present when the instance runs, archives and has nothing left to
    /// archive).
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
        // pgBackRest keeps whole seconds; the backup ends within the second after.
        let stamp = |secs: i64| DateTime::<Utc>::from_timestamp(secs + 1, 0);
        let (Some(earliest), Some(last)) = (stamp(*first), stamp(*last)) else {
            return Err(ProviderError::Permanent(format!(
                "odd backup times in {}",
                repo.stanza
            )));
        };
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
