//! Restores of libvirt backups into a new VM, cloned from the template as `create` clones one:
//! the host restores the backup into a directory of its own (`pgbackrest restore`, then the WAL
//! the backup needs into its `pg_wal`), streams it over SSH into the guest's data directory,
//! and the guest's PostgreSQL ends a crash recovery where the backup ended; then the master
//! user from the spec, as at create. A restore to a point in time (or the latest) restores
//! the backup before it with recovery asked for (`local::target`), carries a copy of the
//! source's archive into the guest for its `restore_command`, and waits for the promotion
//! before the master's script.

use super::guest::Guest;
use super::template::Template;
use super::transfer::Way;
use super::{backrest, guest, LibvirtProvider};
use crate::command;
use crate::local::pgbackrest::{Repo, Set};
use crate::local::{repo_lock, target, window};
use cornac_domain::{Endpoint, InstanceSpec, ProviderError, RestorePoint, RestoreSource};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// psql input that waits until a cluster recovering to a point in time is promoted (at once
/// for one that is not recovering).
const PROMOTED: &str = "DO $cornac$BEGIN WHILE pg_is_in_recovery() LOOP PERFORM pg_sleep(0.2); \
                        END LOOP; END$cornac$;\n";

fn io_error(what: &str, path: &Path, e: std::io::Error) -> ProviderError {
    ProviderError::Transient(format!("cannot {what} {}: {e}", path.display()))
}

/// After a start that failed: when the guest's recovery stopped with `target::NOT_REACHED` (no
/// commit after the time target), its `postgresql.auto.conf` without the target
/// (`target::untargeted`), so the next start recovers to the archive's end, that time's state;
/// `failed` otherwise.
fn untarget(
    guest: &Guest,
    major: u32,
    timeout: Duration,
    failed: ProviderError,
) -> Result<(), ProviderError> {
    let log = format!("cat {} 2>/dev/null || true", backrest::log_file(major));
    if !guest.shell(timeout, &log)?.contains(target::NOT_REACHED) {
        return Err(failed);
    }
    let conf = format!("{}/{}", backrest::data_dir(major), target::AUTO_CONF);
    let Some(untargeted) = target::untargeted(&guest.shell(timeout, &format!("cat {conf}"))?)
    else {
        return Err(failed);
    };
    // Written beside it and moved over it: a crash leaves the old or the new file, never half.
    let write = format!(
        "set -e\ncat > {conf}.cornac\nchown postgres:postgres {conf}.cornac\n\
         chmod 0600 {conf}.cornac\nmv {conf}.cornac {conf}\n"
    );
    guest.shell_input(timeout, &write, &untargeted)?;
    tracing::info!(address = %guest.address, "recovery ended before the time target: dropped it");
    Ok(())
}

impl LibvirtProvider {
    /// `Provider::restore`.
    pub(super) fn restore_instance(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        let source = self.backups.repo(&from.instance);
        if !source.exists() {
            return Err(ProviderError::Permanent(format!(
                "there are no backups of {}",
                from.instance
            )));
        }
        if !matches!(from.point, RestorePoint::Backup(_)) && window::since(&source).is_some() {
            // The source's newest WAL first, while it runs.
            let _held = repo_lock::hold(&source)?;
            if let Err(e) = self.pull(&from.instance, &source, self.boot_timeout()) {
                tracing::warn!(instance = %from.instance, error = %e, "cannot pull the source's WAL spool");
            }
        }
        let held = repo_lock::hold(&source)?;
        let info = source.info()?;
        let args = target::options(&from.point, &from.instance, &source, &info, || {
            window::of(&source, || Ok(false))
        })?;
        // The backup restored as it ended, or none when recovery replays the archive.
        let set = match &from.point {
            RestorePoint::Backup(key) => info.find(key.as_str()).cloned(),
            _ => None,
        };
        let wanted = Template::current(&self.settings.images_dir)?
            .major_for(&spec.engine_version)?
            .to_owned();
        if info.major.as_deref() != Some(wanted.as_str()) {
            return Err(ProviderError::Permanent(format!(
                "the backups of {} are of PostgreSQL {}, not {wanted}",
                from.instance,
                info.major.as_deref().unwrap_or("?")
            )));
        }
        let domain = match self.find(&spec.resource_id)? {
            Some(domain) => domain,
            None => self.define(spec)?,
        };
        let domain = self.boot(domain)?;
        let metadata = Self::metadata(&domain)?;
        let major = guest::major_number(&metadata.major)?;
        let guest = self.guest(&spec.resource_id, self.guest_address(&domain)?, &metadata);
        let timeout = self.boot_timeout();
        let probe = format!("test -e {} && echo restored || true", backrest::RESTORED);
        if guest.shell(timeout, &probe)?.trim() != "restored" {
            let dir = self.lay_out(&source, set.as_ref(), args, spec, major)?;
            let mut tar = tokio::process::Command::new("tar");
            tar.arg("-C").arg(&dir).args(["-cf", "-", "."]);
            guest.stream(
                timeout,
                tar,
                &backrest::replace_data_script(major),
                Way::ToGuest,
            )?;
            std::fs::remove_dir_all(&dir).map_err(|e| io_error("remove", &dir, e))?;
        }
        drop(held);
        // Recovery to a point in time ends in a promotion, which the master's script awaits.
        let script = format!("{PROMOTED}{}", guest::spec_script(spec, major));
        let endpoint = match self.bring_up(&spec.resource_id, domain, &script) {
            Err(failed) => {
                untarget(&guest, major, timeout, failed)?;
                let domain = self.find(&spec.resource_id)?.ok_or_else(|| {
                    ProviderError::Transient(format!("{} vanished", spec.resource_id))
                })?;
                self.bring_up(&spec.resource_id, domain, &script)?
            }
            done => done?,
        };
        guest.shell(timeout, &format!("rm -rf {}", backrest::RESTORE_WAL))?;
        Ok(endpoint)
    }

    /// The data of `source` restored on the host as `args` say (`target::options`): a backup
    /// with the WAL it needs in `pg_wal` and no recovery asked for (crash recovery from it ends
    /// where the backup ended), or recovery with a copy of the source's archive (`WAL_COPY`)
    /// for the guest's `restore_command`.
    fn lay_out(
        &self,
        source: &Repo,
        set: Option<&Set>,
        mut args: Vec<String>,
        spec: &InstanceSpec,
        major: u32,
    ) -> Result<PathBuf, ProviderError> {
        let dir = self
            .backups
            .dir()
            .join(format!("restore-{}", spec.resource_id.slug()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io_error("remove", &dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| io_error("create", &dir, e))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("restrict", &dir, e))?;
        let pg1 = format!("--pg1-path={}", dir.display());
        if set.is_none() {
            args.push(format!(
                "--recovery-option=restore_command={}",
                backrest::restore_command(&source.stanza, major)
            ));
        }
        args.extend([pg1.clone(), "restore".into()]);
        command::run(&mut source.command(&args)?)?;
        let Some(set) = set else {
            let copy = dir.join(backrest::WAL_COPY).join("archive");
            std::fs::create_dir_all(&copy).map_err(|e| io_error("create", &copy, e))?;
            let mut cp = std::process::Command::new("cp");
            cp.args(["-a", "--no-dereference", "--"])
                .arg(source.path().join("archive").join(&source.stanza))
                .arg(&copy);
            command::run(&mut cp)?;
            return Ok(dir);
        };
        let range = set
            .archive
            .as_ref()
            .and_then(|a| a.start.clone().zip(a.stop.clone()));
        let Some((start, stop)) = range else {
            return Err(ProviderError::Permanent(format!(
                "backup {} of {} names no WAL",
                set.label, source.stanza
            )));
        };
        for segment in backrest::segments(&start, &stop)? {
            let to = dir.join("pg_wal").join(&segment);
            command::run(&mut source.command(&[
                pg1.clone(),
                "archive-get".into(),
                segment,
                to.display().to_string(),
            ])?)?;
        }
        let signal = dir.join("recovery.signal");
        if signal.exists() {
            std::fs::remove_file(&signal).map_err(|e| io_error("remove", &signal, e))?;
        }
        Ok(dir)
    }
}
