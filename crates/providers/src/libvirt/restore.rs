//! Restores of libvirt backups into a new VM, cloned from the template as `create` clones one:
//! the host restores the backup into a directory of its own (`pgbackrest restore`, then the WAL
//! the backup needs into its `pg_wal`), streams it over SSH into the guest's data directory,
//! and the guest's PostgreSQL ends a crash recovery where the backup ended; then the master
//! user from the spec, as at create.

use super::template::Template;
use super::transfer::Way;
use super::{backrest, guest, LibvirtProvider};
use crate::command;
use crate::local::pgbackrest::{Repo, Set};
use crate::local::repo_lock;
use cornac_domain::{
    Endpoint, InstanceSpec, ProviderError, ProviderKind, RestorePoint, RestoreSource,
};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn io_error(what: &str, path: &Path, e: std::io::Error) -> ProviderError {
    ProviderError::Transient(format!("cannot {what} {}: {e}", path.display()))
}

impl LibvirtProvider {
    /// `Provider::restore`.
    pub(super) fn restore_instance(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        let RestorePoint::Backup(key) = &from.point else {
            return Err(ProviderError::unsupported(
                ProviderKind::Libvirt,
                "restore to a point in time yet",
            ));
        };
        let source = self.backups.repo(&from.instance);
        if !source.exists() {
            return Err(ProviderError::Permanent(format!(
                "there is no backup {key} of {}",
                from.instance
            )));
        }
        let held = repo_lock::hold(&source)?;
        let info = source.info()?;
        let set = info.find(key.as_str()).cloned().ok_or_else(|| {
            ProviderError::Permanent(format!("there is no backup {key} of {}", from.instance))
        })?;
        let wanted = Template::current(&self.settings.images_dir)?
            .major_for(&spec.engine_version)?
            .to_owned();
        if info.major.as_deref() != Some(wanted.as_str()) {
            return Err(ProviderError::Permanent(format!(
                "backup {key} of {} is of PostgreSQL {}, not {wanted}",
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
            let dir = self.lay_out(&source, &set, spec)?;
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
        let script = guest::spec_script(spec, major);
        self.bring_up(&spec.resource_id, domain, &script)
    }

    /// The backup `set` of `source` restored on the host, with the WAL it needs in `pg_wal` and
    /// no recovery asked for: crash recovery from it ends where the backup ended.
    fn lay_out(
        &self,
        source: &Repo,
        set: &Set,
        spec: &InstanceSpec,
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
        command::run(&mut source.command(&[
            format!("--set={}", set.label),
            "--type=none".into(),
            pg1.clone(),
            "restore".into(),
        ])?)?;
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
