//! The one shape of a new DB instance: the API builds it, the inventory inserts it, and the
//! provider receives its `spec`.

use crate::{InstanceIdentifier, InstanceSpec};

/// A validated new instance, before it has a row.
#[derive(Debug, Clone)]
pub struct NewInstance {
    pub identifier: InstanceIdentifier,
    /// What the provider is given to create it (the inventory stores every field of it).
    pub spec: InstanceSpec,
    pub deletion_protection: bool,
    /// Days of backups kept (`BackupRetentionPeriod`, 0–35).
    pub backup_retention_days: u8,
    /// When the daily automated backup is taken (`PreferredBackupWindow`).
    pub backup_window: crate::BackupWindow,
    /// Snapshots of it take its tags (`CopyTagsToSnapshot`).
    pub copy_tags_to_snapshot: bool,
    /// Validated tags, key then value.
    pub tags: Vec<(String, String)>,
}
