//! Job payloads: ids only, so a job is never stale about what it acts on; the handler reads
//! the instance's current row when it runs.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Create,
    Delete,
    Start,
    Stop,
    Reboot,
    /// Apply the recorded master password verifier to the running instance.
    ResetPassword,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub kind: JobKind,
    pub instance_id: i64,
}
