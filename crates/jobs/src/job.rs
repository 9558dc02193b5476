//! Job payloads: ids only (an instance's, and a snapshot's for the jobs that act on one), so a job is never stale about what it acts on; the handler reads
//! the instance's current row when it runs. A kind is stored in the `jobs` table by its
//! snake_case name (`delete_snapshot`), the name `CORNAC_CRASH_AT`, metrics and logs use too.

cornac_domain::stored_enum! {
    pub enum JobKind {
        Create => "create",
        Delete => "delete",
        Start => "start",
        Stop => "stop",
        Reboot => "reboot",
        /// Make on the running instance what `ModifyDBInstance` recorded for it: the master
        /// password verifier, and WAL archiving on or off as `BackupRetentionPeriod` says.
        Modify => "modify",
        /// Back the instance up into its snapshot still `creating`.
        Snapshot => "snapshot",
        /// Remove a snapshot's backup (unless another snapshot shares it), then its row.
        DeleteSnapshot => "delete_snapshot",
    }
}

impl JobKind {
    /// Whether a system instance (the inventory) may take this job: only a start, which the
    /// reconciler queues when it finds the inventory down. Every other kind reaches one only
    /// from an older version's API, and the worker refuses it.
    pub fn allowed_on_system(self) -> bool {
        self == Self::Start
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub kind: JobKind,
    /// The instance it acts on; for a job on a snapshot alone, the instance the snapshot was
    /// taken of (which may be gone), so its jobs still run one at a time.
    pub instance_id: i64,
    /// The snapshot it takes or removes, if any.
    pub snapshot_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::JobKind;

    #[test]
    fn kinds_are_named_as_the_table_and_crash_tests_spell_them() {
        assert_eq!(JobKind::DeleteSnapshot.as_str(), "delete_snapshot");
        assert_eq!(JobKind::Create.to_string(), "create");
        assert_eq!(JobKind::parse("modify"), Some(JobKind::Modify));
        assert_eq!(JobKind::parse("reset_password"), None);
        assert_eq!(JobKind::parse("Modify"), None);
    }
}
