//! Backups of local instances with pgBackRest: the first full, each later one incremental on
//! the one before (a new full once the chain's full is deleted), each found again by its key
//! (the `cornac-key` annotation). A deleted backup is marked deleted, and goes once no held one
//! needs it; so deleting one key never breaks another.

use super::cluster::Running;
use super::pgbackrest::{Info, Repo};
use super::LocalProvider;
use super::{archiving, repo_lock};
use cornac_domain::{BackupKey, ProviderError, ResourceId};

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
        let info = repo.sweep()?;
        if info.find(key.as_str()).is_some() {
            return Ok(());
        }
        // pgBackRest logs in as `cornac_backup` through the socket, as the cluster's own user
        // (today's login rules first: never over TCP).
        if cluster.secure(&cluster.data(), &self.service.name)? {
            cluster.reload(install)?;
        }
        super::backup_role::ensure(&cluster)?;
        if info.major.is_none() {
            repo.stanza_create(&cluster.data())?;
        }
        let continuous = archiving::is_on(&cluster);
        // The backup's own WAL must reach the archive, from which it is copied into the backup
        // (archive-copy): with archiving off, the push is on for the backup only (a crash
        // leaves it on until the next backup or set_archiving).
        let push = match continuous {
            true => None,
            false => Some(archiving::BackupPush::on(
                &cluster,
                install,
                &repo,
                &owner,
                &self.settings.address,
            )?),
        };
        let args = [
            format!("--pg1-path={}", cluster.data().display()),
            format!("--pg1-socket-path={}", cluster.dir.display()),
            format!("--pg1-port={}", cluster.port()?),
            format!("--pg1-user={}", super::backup_role::ROLE),
            format!("--type={}", info.next_kind()),
            format!("--annotation={}={key}", super::pgbackrest::KEY),
            "backup".into(),
        ];
        let made = repo.run(&args);
        push.map_or(Ok(()), archiving::BackupPush::off)?;
        made
    }

    /// `Provider::delete_backup`: the set is marked deleted, then every set marked so that no
    /// held one needs goes (`sweep`).
    pub(super) fn drop_backup(
        &self,
        instance: &ResourceId,
        key: &BackupKey,
    ) -> Result<(), ProviderError> {
        let repo = self.backups.repo(instance);
        repo.delete_then(key.as_str(), |info| {
            self.forget_if_done(instance, &repo, info)
        })
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
}
