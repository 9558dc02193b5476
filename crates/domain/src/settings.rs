//! What an instance is given beyond its create: the PostgreSQL settings it runs with (its
//! parameter group's values and its class's memory-derived ones) and its size (class and
//! storage), which the worker hands the provider.

use crate::class::InstanceClass;
use std::collections::BTreeMap;

/// PostgreSQL settings by name, each value already checked against the engine's catalog.
pub type Settings = BTreeMap<String, String>;

/// Where `Provider::apply_settings` left an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsApplied {
    /// Every setting is in effect.
    InSync,
    /// Some take effect only at the next restart (`RebootDBInstance`).
    PendingReboot,
}

/// The resources an instance runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub class: InstanceClass,
    pub allocated_storage_gib: u32,
}
