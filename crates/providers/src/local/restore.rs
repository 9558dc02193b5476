//! Restores of local backups into a new cluster, made as `create` makes one (its own directory,
//! OS user, port, settings, login rules, hardening, master user) but with the data of a backup
//! (`pgbackrest restore`, run by the repository's owner into a scratch directory of its own, then
//! moved into place and handed to the new user by this service, following no link), or of a
//! point in time: the source's archived WAL is copied beside the new cluster the same way, for
//! its own user to replay (`archive-get`), since that user may not read another instance's
//! repository.

use super::cluster::{Cluster, Running};
use super::io_error;
use super::pgbackrest::Repo;
use super::scratch::Scratch;
use super::{repo_lock, target, tenant_file, LocalProvider};
use crate::install::{self, Install};
use crate::{command, sql};
use cornac_domain::{Endpoint, InstanceSpec, ProviderError, RestorePoint, RestoreSource};
use std::time::{Duration, Instant};

/// The copy of the source's archived WAL, in the new cluster's directory, until it is promoted.
const WAL_COPY: &str = "wal-archive";
/// How long the replay of a backup's WAL may take.
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(3600);

impl LocalProvider {
    /// `Provider::restore`.
    pub(super) fn restore_instance(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        let cluster = self.cluster(&spec.resource_id);
        let install = if cluster.exists() {
            install::pick(&self.installs, &cluster.major()?.to_string())?
        } else {
            self.lay_down_restore(spec, from, &cluster)?
        };
        finish_recovery(&cluster, install)?;
        self.run(&spec.resource_id, &cluster, install, spec.port.is_none())?;
        cluster.set_up_master(
            &spec.master_username,
            &spec.master_password,
            spec.db_name.as_ref(),
        )?;
        let copy = cluster.dir.join(WAL_COPY);
        if copy.exists() {
            // As the cluster's user: its directory is the tenant's.
            let mut rm = cluster.runner()?.command("rm");
            command::run(rm.args(["-rf", "--"]).arg(&copy))?;
        }
        self.endpoint(&cluster)
    }

    /// The new data directory, from the backup, renamed into place last. pgBackRest runs as
    /// the repository's owner, into a scratch directory of that user's (`scratch`), never as
    /// root over a tree a tenant controls.
    fn lay_down_restore(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
        cluster: &Cluster,
    ) -> Result<&Install, ProviderError> {
        let source = self.backups.repo(&from.instance);
        let none =
            || ProviderError::Permanent(format!("there are no backups of {}", from.instance));
        if !source.exists() {
            return Err(none());
        }
        let _held = repo_lock::hold(&source)?;
        let info = source.info()?;
        let major = info.major.clone().ok_or_else(none)?;
        let install = install::pick(&self.installs, &major)?;
        let mut args = target::options(&from.point, &from.instance, &source, &info, || {
            self.window(&from.instance)
        })?;
        let _claim = self.lock();
        let (port, owner) = self.claim_for(spec, cluster)?;
        let address = &self.settings.address;
        cluster.lay_down(port, address, &owner, &self.service.name, |partial| {
            let scratch = Scratch::make(&source, &spec.resource_id)?;
            let wal = !matches!(from.point, RestorePoint::Backup(_));
            if wal {
                copy_archive(&source, &scratch)?;
                let restore_command = restore_command(&source, cluster)?;
                args.push(format!(
                    "--recovery-option=restore_command={restore_command}"
                ));
            }
            args.push(format!("--pg1-path={}", scratch.data().display()));
            // Never the host's `/var/spool/pgbackrest`, which a restore lists (and the
            // repository's owner may not read); nothing is spooled there.
            args.push(format!("--spool-path={}", scratch.path().display()));
            args.push("restore".into());
            source.run(&args)?;
            scratch.hand_over("data", partial, &owner)?;
            if wal {
                let copy = cluster.dir.join(WAL_COPY);
                if copy.exists() {
                    std::fs::remove_dir_all(&copy).map_err(|e| io_error("remove", &copy, e))?;
                }
                scratch.hand_over(WAL_COPY, &copy, &owner)?;
            } else {
                // The backup holds the WAL it needs (archive-copy): a crash recovery from it,
                // with no archive, ends where the backup ended.
                tenant_file::remove(partial, "recovery.signal")?;
            }
            Ok(())
        })?;
        Ok(install)
    }
}

/// Copy the source's archived WAL into the scratch directory, as the repository's owner (who
/// alone may read it), for the new cluster's user to replay once it is handed over.
fn copy_archive(source: &Repo, scratch: &Scratch) -> Result<(), ProviderError> {
    let archive = scratch.path().join(WAL_COPY).join("repo").join("archive");
    scratch.mkdir(std::slice::from_ref(&archive))?;
    let mut cp = scratch.writer().command("cp");
    command::run(
        cp.args(["-a", "--no-dereference", "--"])
            .arg(source.path().join("archive").join(&source.stanza))
            .arg(&archive),
    )
    .map(drop)
}

/// The `restore_command` that reads the copy of the source's archive in the new cluster's
/// directory.
fn restore_command(source: &Repo, cluster: &Cluster) -> Result<String, ProviderError> {
    let copy = cluster.dir.join(WAL_COPY);
    let words = [
        "pgbackrest".to_owned(),
        format!("--config={}", source.config().display()),
        format!("--stanza={}", source.stanza),
        format!("--repo1-path={}", copy.join("repo").display()),
        format!("--pg1-path={}", cluster.data().display()),
        format!("--lock-path={}", copy.display()),
        "--log-level-file=off".into(),
        "archive-get".into(),
    ];
    let line = super::pgbackrest::command_line(&words)?;
    Ok(format!("{line} %f \"%p\""))
}

/// Start a restored cluster that still has WAL to replay, and wait until it is promoted; a time
/// target recovery never reaches is dropped and recovery goes on to the archive's end.
fn finish_recovery(cluster: &Cluster, install: &Install) -> Result<(), ProviderError> {
    let failed = match recover(cluster, install) {
        Err(failed) if cluster.log_text().contains(target::NOT_REACHED) => failed,
        done => return done,
    };
    let data = cluster.data();
    let conf =
        tenant_file::read(&data, target::AUTO_CONF).map_err(|e| io_error("read", &data, e))?;
    let Some(conf) = target::untargeted(&conf) else {
        return Err(failed);
    };
    tenant_file::write(&data, target::AUTO_CONF, &conf, &cluster.runner()?)?;
    recover(cluster, install)
}

fn recover(cluster: &Cluster, install: &Install) -> Result<(), ProviderError> {
    if !cluster.data().join("recovery.signal").exists() {
        return Ok(());
    }
    if cluster.status(install)? != Running::Yes {
        cluster.start(install)?;
    }
    let deadline = Instant::now() + RECOVERY_TIMEOUT;
    loop {
        let recovering = cluster
            .admin("postgres")
            .and_then(|mut conn| sql::text(&mut conn, "pg_is_in_recovery()::text"));
        match recovering {
            Ok(Some(answer)) if answer == "false" => return Ok(()),
            _ if cluster.status(install)? != Running::Yes => {
                return Err(ProviderError::Permanent(format!(
                    "the restored cluster stopped during recovery: {}",
                    cluster.log_tail()
                )))
            }
            _ if Instant::now() > deadline => {
                return Err(ProviderError::Transient(format!(
                    "{} is still recovering",
                    cluster.dir.display()
                )))
            }
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}
