//! The vocabulary of Cornac: validated ids and names, the DB instance status machine, master
//! password handling (SCRAM-SHA-256 verifiers), the one secret type, and the `Provider` trait
//! that runs instances.
//! Nothing here does I/O; diesel is used only to map the stored enums to SQL text.

pub mod backup;
pub mod backup_window;
pub mod class;
pub mod event;
pub mod identifier;
pub mod instance;
pub mod names;
pub mod password;
pub mod provider;
pub mod secret;
pub mod snapshot;
pub mod status;
mod stored;
pub mod tag;

pub use backup::{BackupKey, RestorableWindow, RestorePoint, RestoreSource};
pub use backup_window::BackupWindow;
pub use class::InstanceClass;
pub use event::{EventCategory, SourceType};
pub use identifier::{InstanceIdentifier, ResourceId};
pub use instance::NewInstance;
pub use names::{DbName, MasterUsername};
pub use password::{MasterPassword, ScramVerifier};
pub use provider::{Endpoint, InstanceSpec, ObservedState, Provider, ProviderError, ProviderKind};
pub use snapshot::{SnapshotIdentifier, SnapshotStatus, SnapshotType};
pub use status::InstanceStatus;

/// A value that failed validation: which parameter, and why, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The AWS parameter name the value came from, e.g. `DBInstanceIdentifier`.
    pub parameter: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(parameter: &'static str, message: impl Into<String>) -> Self {
        Self {
            parameter,
            message: message.into(),
        }
    }
}
