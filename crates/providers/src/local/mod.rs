//! The `local` provider, the embedded default: each instance is a PostgreSQL cluster that this
//! host runs with its own server binaries, in the state directory, on a 127.0.0.1 port; as its
//! own OS user when the service runs as root.

pub(crate) mod archiving;
mod auth;
mod backup;
mod backup_role;
mod cluster;
mod instance_user;
mod ipc;
pub(crate) mod pgbackrest;
mod ports;
pub(crate) mod repo_lock;
mod restore;
pub(crate) mod run_as;
mod scratch;
pub(crate) mod target;
mod template;
mod tenant_file;
mod tree;
pub(crate) mod window;

use crate::install::{self, Install};
use cluster::{Cluster, Running};
use cornac_domain::{
    BackupKey, Endpoint, InstanceSpec, MasterUsername, ObservedState, Provider, ProviderError,
    ResourceId, RestorableWindow, RestoreSource, ScramVerifier,
};
use run_as::{RunAs, ServiceUser};
use serde::Deserialize;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// The `[local]` section of the config.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LocalSettings {
    /// Where the PostgreSQL majors live, one `<major>/bin` each (Debian's layout).
    pub install_root: PathBuf,
    /// One `bin` directory to use instead of searching `install_root`.
    pub bin_dir: Option<PathBuf>,
    /// The system user that makes the per-major templates when the service runs as root
    /// (each instance then runs as a user of its own).
    pub run_as: Option<String>,
    /// The address instances listen on and report as their endpoint.
    pub address: String,
    /// The range instance ports are taken from.
    pub port_min: u16,
    pub port_max: u16,
}

impl Default for LocalSettings {
    fn default() -> Self {
        Self {
            install_root: PathBuf::from("/usr/lib/postgresql"),
            bin_dir: None,
            run_as: None,
            address: "127.0.0.1".into(),
            port_min: 5433,
            port_max: 6432,
        }
    }
}

pub struct LocalProvider {
    settings: LocalSettings,
    installs: Vec<Install>,
    /// Who makes the templates.
    run_as: RunAs,
    /// Who this service runs as: the only OS user the clusters' superuser logins admit; when
    /// root, every instance gets an OS user of its own.
    service: ServiceUser,
    instances: PathBuf,
    templates: PathBuf,
    /// Every instance's backups.
    backups: pgbackrest::Store,
    /// Held while a port is chosen and claimed, and while a template is made.
    claim: Mutex<()>,
}

/// A file operation on `path` that failed.
fn io_error(what: &str, path: &Path, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::Transient(format!("cannot {what} {}: {e}", path.display()))
}

/// How many times a create picks another port when the one it chose was taken meanwhile.
const PORT_ATTEMPTS: usize = 5;

impl LocalProvider {
    /// Checks the binaries, the cluster user and the state directory up front, so a bad setup
    /// fails at start with a message that says what to fix.
    pub fn new(settings: LocalSettings, state_dir: &Path) -> Result<Self, ProviderError> {
        if settings.port_min == 0 || settings.port_min > settings.port_max {
            return Err(ProviderError::Permanent(format!(
                "local.port_min ({}) must be between 1 and local.port_max ({})",
                settings.port_min, settings.port_max
            )));
        }
        let installs = install::discover(
            &settings.install_root,
            settings.bin_dir.as_deref(),
            &install::SERVER,
        )?;
        let service = ServiceUser::current()?;
        let run_as = RunAs::resolve(settings.run_as.as_deref(), &service)?;
        let instances = state_dir.join("instances");
        let templates = state_dir.join("templates");
        for dir in [&instances, &templates] {
            std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
        }
        run_as.own(&templates)?;
        run_as.check_access(&templates, true)?;
        if service.root {
            // Ours (a state directory of an older version gave it to `postgres`); every
            // instance's user may pass through it, to its own directory only.
            std::os::unix::fs::chown(&instances, Some(0), Some(0))
                .map_err(|e| io_error("chown", &instances, e))?;
            std::fs::set_permissions(&instances, std::fs::Permissions::from_mode(0o711))
                .map_err(|e| io_error("restrict", &instances, e))?;
            run_as.check_access(&instances, false)?;
        } else {
            run_as.check_access(&instances, true)?;
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                tracing::warn!(
                    user = %service.name,
                    "cornac does not run as root, so it cannot give each instance an OS user \
                     of its own: every cluster runs as {}, and only the master users' limited \
                     roles keep tenants from each other",
                    service.name
                );
            });
        }
        let backups = pgbackrest::Store::for_service(state_dir, "local")?;
        Ok(Self {
            settings,
            installs,
            run_as,
            service,
            instances,
            templates,
            backups,
            claim: Mutex::new(()),
        })
    }

    fn cluster(&self, id: &ResourceId) -> Cluster {
        Cluster {
            dir: self.instances.join(id.slug()),
        }
    }

    /// The cluster and its binaries, or `NotFound`.
    fn existing(&self, id: &ResourceId) -> Result<(Cluster, &Install), ProviderError> {
        let cluster = self.cluster(id);
        if !cluster.exists() {
            return Err(ProviderError::NotFound(id.clone()));
        }
        let major = cluster.major()?;
        let install = install::pick(&self.installs, &major.to_string())?;
        Ok((cluster, install))
    }

    fn endpoint(&self, cluster: &Cluster) -> Result<Endpoint, ProviderError> {
        Ok(Endpoint {
            address: self.settings.address.clone(),
            port: cluster.port()?,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.claim
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Lay the cluster down (if needed) and start it.
    fn bring_up(
        &self,
        spec: &InstanceSpec,
        install: &Install,
        cluster: &Cluster,
    ) -> Result<(), ProviderError> {
        if !cluster.exists() {
            let _claim = self.lock();
            let template = template::ensure(install, &self.templates, &self.run_as)?;
            let (port, owner) = self.claim_for(spec, cluster)?;
            cluster.materialize(
                &template,
                port,
                &self.settings.address,
                &owner,
                &self.service.name,
            )?;
        }
        self.run(&spec.resource_id, cluster, install, spec.port.is_none())
    }

    /// A stopped cluster of an older version, run by the user that makes the templates (shared
    /// by every such cluster), gets a user of its own, when the service runs as root.
    fn migrate(
        &self,
        id: &ResourceId,
        cluster: &Cluster,
        install: &Install,
    ) -> Result<(), ProviderError> {
        if !self.service.root
            || !cluster.runner()?.is(&self.run_as)
            || cluster.status(install)? == Running::Yes
        {
            return Ok(());
        }
        let owner = instance_user::ensure(id, &cluster.dir)?;
        tracing::info!(user = %owner.name, "giving a cluster of an older version its own OS user");
        owner.own_tree(&cluster.dir)
    }

    /// Start the cluster unless it runs, as its own user (`migrate`), with today's login rules (a running one reloads
    /// them if they changed) and today's role rules (`Cluster::harden`). When its port was taken meanwhile (by another program, or another
    /// deployment while this one was down) and the port is ours to choose, move to a free one:
    /// the endpoint changes, and the caller records the new one.
    fn run(
        &self,
        id: &ResourceId,
        cluster: &Cluster,
        install: &Install,
        movable: bool,
    ) -> Result<(), ProviderError> {
        self.migrate(id, cluster, install)?;
        let changed = cluster.secure(&cluster.data(), &self.service.name)?;
        let mut tried = Vec::new();
        loop {
            if cluster.status(install)? == Running::Yes {
                if changed {
                    cluster.reload(install)?;
                }
                return cluster.harden();
            }
            match cluster.start(install) {
                Ok(()) => return cluster.harden(),
                Err(e)
                    if movable
                        && tried.len() < PORT_ATTEMPTS
                        && e.to_string().contains("already in use") =>
                {
                    let port = cluster.port()?;
                    tried.push(port);
                    let _claim = self.lock();
                    let next = self.free_port(&tried)?;
                    tracing::warn!(port, next, "port taken meanwhile; moving the instance");
                    cluster.write_conf(&cluster.data(), next, &self.settings.address)?;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Provider for LocalProvider {
    fn kind(&self) -> cornac_domain::ProviderKind {
        cornac_domain::ProviderKind::Local
    }

    fn engine_versions(&self) -> Result<Vec<String>, ProviderError> {
        Ok(self.installs.iter().map(|i| i.version.clone()).collect())
    }

    /// `local.port_min`–`local.port_max`: a cluster never runs outside them.
    fn ports(&self) -> std::ops::RangeInclusive<u16> {
        self.settings.port_min..=self.settings.port_max
    }

    fn create(&self, spec: &InstanceSpec) -> Result<Endpoint, ProviderError> {
        let install = install::pick(&self.installs, &spec.engine_version)?;
        let cluster = self.cluster(&spec.resource_id);
        self.bring_up(spec, install, &cluster)?;
        cluster.set_up_master(
            &spec.master_username,
            &spec.master_password,
            spec.db_name.as_ref(),
        )?;
        self.endpoint(&cluster)
    }

    fn start(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        let (cluster, install) = self.existing(id)?;
        self.run(id, &cluster, install, true)?;
        self.endpoint(&cluster)
    }

    fn stop(&self, id: &ResourceId) -> Result<(), ProviderError> {
        let (cluster, install) = self.existing(id)?;
        if cluster.status(install)? == Running::Yes {
            cluster.stop(install, "fast")?;
        }
        Ok(())
    }

    fn reboot(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        let (cluster, install) = self.existing(id)?;
        if cluster.status(install)? == Running::Yes {
            cluster.stop(install, "fast")?;
        }
        self.run(id, &cluster, install, true)?;
        self.endpoint(&cluster)
    }

    /// Stop (or kill) the cluster, remove its directory, then its OS user. Each step is skipped
    /// when already done, so a delete interrupted anywhere is finished by the next.
    fn delete(&self, id: &ResourceId) -> Result<(), ProviderError> {
        let cluster = self.cluster(id);
        if cluster.dir.exists() {
            if let Ok((cluster, install)) = self.existing(id) {
                if cluster.status(install)? == Running::Yes {
                    // Failure here is dealt with below: whatever still runs is killed.
                    if let Err(e) = cluster.stop(install, "immediate") {
                        tracing::warn!(error = %e, "immediate stop failed; killing the postmaster");
                    }
                }
            }
            if let Some(pid) = cluster.live_postmaster() {
                crate::command::run(
                    std::process::Command::new("kill").args(["-KILL", &pid.to_string()]),
                )?;
            }
            if self.service.root {
                instance_user::kill_processes(id)?;
            }
            std::fs::remove_dir_all(&cluster.dir).map_err(|e| {
                ProviderError::Transient(format!("cannot remove {}: {e}", cluster.dir.display()))
            })?;
        }
        if self.service.root {
            instance_user::kill_processes(id)?;
        }
        // Before the user goes: a crash after leaves backups no one but this service owns.
        self.keep_backups(id)?;
        if self.service.root {
            instance_user::remove(id)?;
        }
        Ok(())
    }

    fn inspect(&self, id: &ResourceId) -> Result<ObservedState, ProviderError> {
        match self.existing(id) {
            Err(ProviderError::NotFound(_)) => Ok(ObservedState::Missing),
            Err(e) => Err(e),
            Ok((cluster, install)) => match cluster.status(install)? {
                Running::Yes => Ok(ObservedState::Running(self.endpoint(&cluster)?)),
                Running::No if cluster.stopped_cleanly_since_boot() => Ok(ObservedState::Stopped),
                Running::No => Ok(ObservedState::Down),
            },
        }
    }

    fn list(&self) -> Result<Vec<ResourceId>, ProviderError> {
        let entries =
            std::fs::read_dir(&self.instances).map_err(|e| io_error("read", &self.instances, e))?;
        Ok(entries
            .filter_map(Result::ok)
            .filter_map(|e| ResourceId::from_slug(&e.file_name().to_string_lossy()).ok())
            .collect())
    }

    fn set_master_password(
        &self,
        id: &ResourceId,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError> {
        let (cluster, _) = self.existing(id)?;
        cluster.set_password(user, verifier)
    }
    fn backup(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.take_backup(id, key)
    }
    fn delete_backup(&self, instance: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.drop_backup(instance, key)
    }
    fn restore(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        self.restore_instance(spec, from)
    }
    fn point_in_time(&self) -> bool {
        true
    }
    fn set_archiving(&self, id: &ResourceId, on: bool) -> Result<(), ProviderError> {
        self.archive(id, on)
    }
    fn restorable_window(
        &self,
        instance: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError> {
        self.window(instance)
    }
}
