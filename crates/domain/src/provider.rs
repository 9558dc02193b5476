//! The `Provider` trait: what runs a DB instance (a local cluster, a role on a shared server, a
//! VM). Calls are blocking and idempotent: each checks what already exists before acting, so the
//! worker can retry any of them after a crash.

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
}
