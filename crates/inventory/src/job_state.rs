//! Where a job of the `jobs` table is in its life, stored as its snake_case name.

cornac_domain::stored_enum! {
    pub enum JobState {
        /// Waiting for a worker (a new job, or a retry whose `run_at` is ahead).
        Queued => "queued",
        /// Claimed by the worker named in the row, while its lease lasts.
        Running => "running",
        Done => "done",
        /// No more attempts, or refused.
        Failed => "failed",
    }
}

impl JobState {
    /// The states of a job that is not over.
    pub const PENDING: [JobState; 2] = [JobState::Queued, JobState::Running];
}
