//! The `Provider` trait: what runs a DB instance (a local cluster, a role on a shared server, a
//! VM). Calls are blocking and idempotent: each checks what already exists before acting, so the
//! worker can retry any of them after a crash.

use crate::backup::{BackupKey, RestorableWindow, RestoreSource};
use crate::{DbName, MasterUsername, ResourceId, ScramVerifier};

crate::stored_enum! {
    /// Which provider runs an instance: the config's `provider.kind` and the inventory's
    /// `provider` column.
    pub enum ProviderKind {
        Local => "local",
        Pgcluster => "pgcluster",
        Libvirt => "libvirt",
        /// No provider: an inventory database run outside Cornac, registered by `cornac
        /// bootstrap`. Never configured, never acted on.
        External => "external",
    }
}

/// Everything a provider needs to create an instance.
#[derive(Debug, Clone)]
pub struct InstanceSpec {
    pub resource_id: ResourceId,
    /// A version from `Provider::engine_versions`, e.g. `15.18`, or a bare major, e.g. `15`.
    pub engine_version: String,
    pub instance_class: String,
    pub allocated_storage_gib: u32,
    pub master_username: MasterUsername,
    pub master_password: ScramVerifier,
    pub db_name: Option<DbName>,
    /// The port asked for; `None` lets the provider choose.
    pub port: Option<u16>,
}

/// Where clients connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub address: String,
    pub port: u16,
}

/// What the provider really runs for an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObservedState {
    Running(Endpoint),
    /// Shut down cleanly since the host booted: someone meant it to stop.
    Stopped,
    /// Not running otherwise: it crashed, was killed, or the host rebooted.
    Down,
    Missing,
}

impl ObservedState {
    /// A word for `cornac inspect`.
    pub fn describe(&self) -> String {
        match self {
            Self::Running(e) => format!("running on {}:{}", e.address, e.port),
            Self::Stopped => "stopped".into(),
            Self::Down => "down (crashed, killed or rebooted)".into(),
            Self::Missing => "missing".into(),
        }
    }
}

/// A provider failure: `Transient` ones are worth retrying, `Permanent` ones are not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("instance {0} does not exist in the provider")]
    NotFound(ResourceId),
    #[error("{0}")]
    Transient(String),
    #[error("{0}")]
    Permanent(String),
}

impl ProviderError {
    /// What this provider cannot do at all, e.g. a point-in-time restore of a shared server.
    pub fn unsupported(kind: ProviderKind, what: &str) -> Self {
        Self::Permanent(format!("the {kind} provider cannot {what}"))
    }
}

pub trait Provider: Send + Sync {
    /// Which provider this is, as the config and the inventory name it.
    fn kind(&self) -> ProviderKind;
    /// The full engine versions this provider can run, newest first.
    fn engine_versions(&self) -> Result<Vec<String>, ProviderError>;
    /// The ports an instance may ask for (`CreateDBInstance`'s `Port`); by default RDS's range
    /// for PostgreSQL.
    fn ports(&self) -> std::ops::RangeInclusive<u16> {
        1150..=65535
    }
    fn create(&self, spec: &InstanceSpec) -> Result<Endpoint, ProviderError>;
    fn start(&self, id: &ResourceId) -> Result<Endpoint, ProviderError>;
    fn stop(&self, id: &ResourceId) -> Result<(), ProviderError>;
    fn reboot(&self, id: &ResourceId) -> Result<Endpoint, ProviderError>;
    /// Removes everything the instance had; deleting a missing instance succeeds.
    fn delete(&self, id: &ResourceId) -> Result<(), ProviderError>;
    fn inspect(&self, id: &ResourceId) -> Result<ObservedState, ProviderError>;
    /// Every instance this provider holds for this deployment, whatever the inventory says.
    fn list(&self) -> Result<Vec<ResourceId>, ProviderError>;
    fn set_master_password(
        &self,
        id: &ResourceId,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError>;
    /// Back up the running instance `id` under `key`, into a repository on the Cornac host; a
    /// backup already finished under `key` is done, a half-made one is made again. Backups
    /// outlive `delete`: they go only by `delete_backup`.
    fn backup(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError>;
    /// Remove the backup `key` of `instance` (which may be gone); a missing backup is done.
    /// Once an instance is deleted and its last backup removed, nothing of its backups is left.
    fn delete_backup(&self, instance: &ResourceId, key: &BackupKey) -> Result<(), ProviderError>;
    /// Create the instance `spec` (as `create` does, as idempotent) with the data `from` names;
    /// its master user is `spec.master_username`, with the password `spec.master_password`.
    fn restore(&self, spec: &InstanceSpec, from: &RestoreSource)
        -> Result<Endpoint, ProviderError>;
    /// Whether this provider archives WAL and restores to a point in time.
    fn point_in_time(&self) -> bool;
    /// Turn continuous WAL archiving (for point-in-time restore) on or off for `id`.
    fn set_archiving(&self, id: &ResourceId, on: bool) -> Result<(), ProviderError>;
    /// The times `instance`'s backups and archived WAL can restore to; `None` when none.
    fn restorable_window(
        &self,
        instance: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError>;
}
