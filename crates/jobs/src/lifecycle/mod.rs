//! The lifecycle of instances and snapshots: the only code that changes an instance's or a
//! snapshot's status, records its events and enqueues its job, all in one transaction (the
//! caller's, or a savepoint in it). One table, [`Operation::rule`], says for each operation
//! which statuses it starts from, the status it leaves, what it does to a snapshot, the job it
//! queues, and the event it records; a job's final status is the row of `Finish(kind)`. The RDS
//! actions, postgraas, the reconciler, `cornac recover`, `cornac bootstrap` and the worker all
//! call it (`apply.rs` for instances, `snapshot.rs` for operations on a snapshot alone,
//! `retained.rs` for retained automated backups).

mod apply;
mod retained;
mod snapshot;

pub use apply::{
    apply, change, create, register, restore, restore_to_point, Extra, NewSnapshotArgs,
};
pub use retained::apply_retained;
pub use snapshot::{apply_snapshot, copy_snapshot};

use crate::JobKind;
use cornac_domain::{EventCategory, InstanceStatus, SnapshotStatus};
use InstanceStatus::*;

/// Everything that changes an instance or a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A new instance (`CreateDBInstance`, postgraas): a new row, then the worker creates it.
    Create,
    /// `RestoreDBInstanceFromDBSnapshot`: a new instance the worker creates from a backup.
    Restore,
    /// `RestoreDBInstanceToPointInTime`: a new instance the worker creates from another's
    /// backups and archived WAL, as they were at a time.
    RestoreToPointInTime,
    /// `cornac bootstrap` records the inventory database as a system instance, already running.
    Register,
    Delete,
    /// `DeleteDBInstance` with `FinalDBSnapshotIdentifier`: the job backs up, then deletes.
    DeleteWithSnapshot,
    Start,
    Stop,
    /// `StopDBInstance` with `DBSnapshotIdentifier`: the job backs up, then stops.
    StopWithSnapshot,
    Reboot,
    /// `ModifyDBInstance` without a new password: settings only, the status stays.
    Modify,
    /// `ModifyDBInstance` with a change the worker makes on the instance (a new master
    /// password; backups turned on or off, which turns WAL archiving on or off).
    ModifyByWorker,
    /// `CreateDBSnapshot`: the instance backs up into a new snapshot.
    Snapshot,
    /// `DeleteDBSnapshot`: the worker removes the backup (unless shared), then the row.
    DeleteSnapshot,
    /// `CopyDBSnapshot`: a new row sharing the source's backup.
    CopySnapshot,
    /// A stop or delete job took its snapshot: the snapshot is `available` (committed before
    /// the instance is stopped or deleted, so a re-run does not back up again).
    SnapshotTaken,
    /// The worker finished a job of this kind.
    Finish(JobKind),
    /// The worker gave up on a job (its last attempt, or a permanent error).
    Fail,
    /// The worker gave up on a snapshot: the snapshot failed, the instance is available again.
    FailBackup,
    /// The worker gave up on removing a snapshot: it is `failed`, and may be deleted again.
    FailSnapshotDelete,
    /// The automated backup schedule (`automated.rs`): a new automated snapshot, taken by a
    /// snapshot job while the instance stays as it is (a user's action is never refused for
    /// it; the instance's jobs still run one at a time).
    AutomatedSnapshot,
    /// The worker took an automated snapshot: it is `available`.
    AutomatedSnapshotTaken,
    /// The worker gave up on an automated snapshot: it is `failed` (expiry removes it).
    FailAutomatedSnapshot,
    /// An automated snapshot past its retention (or of backups turned off, or of a deleted
    /// instance whose automated backups go with it): the worker removes it. From `creating`
    /// only when no job will take it (the schedule checks: its instance is gone).
    ExpireSnapshot,
    /// A delete's finish that `DeleteDBInstance` asked to keep the automated backups of
    /// (`DeleteAutomatedBackups=false`): they are retained, in the transaction that removes the
    /// instance (when it keeps backups and has an available automated snapshot).
    RetainBackups,
    /// `DeleteDBInstanceAutomatedBackup`: every snapshot of a retained backup expires (the
    /// `delete_snapshot` job removes each, as `ExpireSnapshot` does), and the retained backup
    /// goes. Refused while an instance is being restored from it.
    DeleteRetainedBackup,
    /// The schedule: a retained backup whose snapshots have all expired goes.
    ExpireRetainedBackup,
    /// A job attempt failed and will be tried again: an event only.
    Retry,
    /// The worker refused a job (one no system instance may take): an event only.
    Refuse,
    /// The reconciler found unfinished work with no job: the job again.
    Resume,
    /// The reconciler found a snapshot `deleting` with no job: the job again.
    ResumeSnapshot,
    /// The reconciler found Postgres down: start it again.
    RestartAfterDown,
    /// The reconciler found Postgres stopped outside Cornac.
    MarkStopped,
    /// The reconciler found the provider no longer has the instance.
    MarkFailed,
    /// `cornac recover` started an available instance again itself.
    RecoveredStart,
}

/// Where an operation may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// No instance row yet.
    New,
    /// An instance row in one of these statuses.
    Statuses(&'static [InstanceStatus]),
    /// No instance: the operation acts on a snapshot alone (its instance may be gone).
    SnapshotOnly,
    /// No instance: the operation acts on a retained automated backup (its instance is gone).
    Retained,
}

/// What an operation leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Status(InstanceStatus),
    /// The status as it was.
    Same,
    /// No row: the instance is gone.
    Removed,
}

/// What an operation does to a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snap {
    /// Nothing.
    Untouched,
    /// Records a new snapshot row of the instance, in this status; the job takes the backup.
    New(SnapshotStatus),
    /// Reads a snapshot that must be in one of these statuses (a restore's source), or records
    /// a new row from it, sharing its backup, in the source's status (a copy).
    Uses(&'static [SnapshotStatus]),
    /// Moves the operation's snapshot, when it has one, from one of these statuses.
    Moves(&'static [SnapshotStatus], SnapTo),
}

/// Where a snapshot is moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapTo {
    Status(SnapshotStatus),
    /// The row goes.
    Removed,
}

/// Which job an operation queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Nothing,
    Kind(JobKind),
    /// The job that finishes the instance's current (transitional) status.
    ForStatus,
}

/// What goes in `status_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Cleared on a status change, kept otherwise.
    Cleared,
    /// The detail the caller gives (the worker's error).
    Detail,
    /// The event's message.
    Message,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// How refusals name the operation.
    pub name: &'static str,
    pub from: From,
    pub to: To,
    pub snapshot: Snap,
    pub queue: Queue,
    /// The event's category and message, about the instance (about the snapshot when the
    /// operation acts on a snapshot alone); the caller's detail, if any, follows the message.
    pub category: EventCategory,
    pub message: &'static str,
    pub reason: Reason,
    /// Refused while deletion protection is on.
    pub protected: bool,
}

const TRANSITIONAL: &[InstanceStatus] = InstanceStatus::TRANSITIONAL;
const ANY: &[InstanceStatus] = InstanceStatus::ALL;

/// The operations a user (or the reconciler) starts work on an instance with: each one's job,
/// run in its status, finishes it.
pub const STARTS: [Operation; 7] = [
    Operation::Create,
    Operation::Delete,
    Operation::Start,
    Operation::Stop,
    Operation::Reboot,
    Operation::ModifyByWorker,
    Operation::Snapshot,
];

impl Operation {
    /// The table: name (for refusals), where it starts, what it leaves, what it does to a
    /// snapshot, the job it queues, the event's category and message; then the rows that keep
    /// a reason or check protection.
    #[rustfmt::skip]
    pub fn rule(self) -> Rule {
        use EventCategory as C;
        use JobKind as J;
        use Operation as O;
        use Queue::{ForStatus, Kind, Nothing};
        use Snap::{Moves, New, Untouched, Uses};
        use SnapshotStatus as Sn;
        use To::{Removed, Same, Status as S};
        let s = From::Statuses;
        let done = Moves(&[Sn::Creating], SnapTo::Status(Sn::Available));
        let (name, from, to, snapshot, queue, category, message) = match self {
            O::Create =>             ("Create", From::New, S(Creating), Untouched, Kind(J::Create), C::Creation, "DB instance is being created"),
            O::Restore =>            ("Restore", From::New, S(Creating), Uses(&[Sn::Available]), Kind(J::Create), C::Creation, "DB instance is being restored from a snapshot"),
            O::RestoreToPointInTime => ("Point-in-time restore", From::New, S(Creating), Untouched, Kind(J::Create), C::Creation, "DB instance is being restored to a point in time of"),
            O::Register =>           ("Registering", From::New, S(Available), Untouched, Nothing, C::Creation, "Inventory database registered by cornac bootstrap"),
            O::Delete =>             ("Delete", s(&[Available, Stopped, Failed]), S(Deleting), Untouched, Kind(J::Delete), C::Deletion, "DB instance is being deleted"),
            O::DeleteWithSnapshot => ("Delete with a final snapshot", s(&[Available, Stopped]), S(Deleting), New(Sn::Creating), Kind(J::Delete), C::Deletion, "DB instance is being deleted after a final snapshot"),
            O::Start =>              ("Start", s(&[Stopped, Failed]), S(Starting), Untouched, Kind(J::Start), C::Notification, "DB instance is being started"),
            O::Stop =>               ("Stop", s(&[Available]), S(Stopping), Untouched, Kind(J::Stop), C::Notification, "DB instance is being stopped"),
            O::StopWithSnapshot =>   ("Stop with a snapshot", s(&[Available]), S(Stopping), New(Sn::Creating), Kind(J::Stop), C::Notification, "DB instance is being stopped after a snapshot"),
            O::Reboot =>             ("Reboot", s(&[Available]), S(Rebooting), Untouched, Kind(J::Reboot), C::Availability, "DB instance is being rebooted"),
            O::Modify =>             ("Modification", s(&[Available, Stopped]), Same, Untouched, Nothing, C::ConfigurationChange, "DB instance modified"),
            O::ModifyByWorker =>     ("Modification", s(&[Available]), S(Modifying), Untouched, Kind(J::Modify), C::ConfigurationChange, "DB instance modified"),
            O::Snapshot =>           ("Snapshot", s(&[Available]), S(BackingUp), New(Sn::Creating), Kind(J::Snapshot), C::Backup, "Backing up DB instance"),
            O::DeleteSnapshot =>     ("Snapshot deletion", From::SnapshotOnly, Same, Moves(&[Sn::Available, Sn::Failed], SnapTo::Status(Sn::Deleting)), Kind(J::DeleteSnapshot), C::Deletion, "Deleting snapshot"),
            O::CopySnapshot =>       ("Snapshot copy", From::SnapshotOnly, Same, Uses(&[Sn::Available]), Nothing, C::Creation, "Copied from snapshot "),
            O::SnapshotTaken =>      ("Recording a snapshot", s(&[Stopping, Deleting]), Same, done, Nothing, C::Backup, "Snapshot taken"),
            O::Finish(kind) => match kind {
                J::Create =>         ("Finishing a create", s(&[Creating]), S(Available), Untouched, Nothing, C::Creation, "DB instance created"),
                J::Delete =>         ("Finishing a delete", s(&[Deleting]), Removed, Untouched, Nothing, C::Deletion, "DB instance deleted"),
                J::Start =>          ("Finishing a start", s(&[Starting]), S(Available), Untouched, Nothing, C::Notification, "DB instance started"),
                J::Stop =>           ("Finishing a stop", s(&[Stopping]), S(Stopped), Untouched, Nothing, C::Notification, "DB instance stopped"),
                J::Reboot =>         ("Finishing a reboot", s(&[Rebooting]), S(Available), Untouched, Nothing, C::Availability, "DB instance restarted"),
                J::Modify =>         ("Finishing a modification", s(&[Modifying]), S(Available), Untouched, Nothing, C::ConfigurationChange, "Finished applying modification to DB instance"),
                J::Snapshot =>       ("Finishing a snapshot", s(&[BackingUp]), S(Available), done, Nothing, C::Backup, "Finished DB instance backup"),
                J::DeleteSnapshot => ("Finishing a snapshot deletion", From::SnapshotOnly, Same, Moves(&[Sn::Deleting], SnapTo::Removed), Nothing, C::Deletion, "Deleted snapshot"),
            },
            O::Fail =>               ("Failing", s(TRANSITIONAL), S(Failed), Moves(&[Sn::Creating], SnapTo::Status(Sn::Failed)), Nothing, C::Failure, "DB instance failed: "),
            O::FailBackup =>         ("Failing a snapshot", s(&[BackingUp]), S(Available), Moves(&[Sn::Creating], SnapTo::Status(Sn::Failed)), Nothing, C::Failure, "DB instance backup failed: "),
            O::FailSnapshotDelete => ("Failing a snapshot deletion", From::SnapshotOnly, Same, Moves(&[Sn::Deleting], SnapTo::Status(Sn::Failed)), Nothing, C::Failure, "Snapshot deletion failed: "),
            O::AutomatedSnapshot =>  ("Automated snapshot", s(&[Available]), Same, New(Sn::Creating), Kind(J::Snapshot), C::Backup, "Automated backup started"),
            O::AutomatedSnapshotTaken => ("Recording an automated snapshot", s(ANY), Same, done, Nothing, C::Backup, "Automated backup finished"),
            O::FailAutomatedSnapshot => ("Failing an automated snapshot", s(ANY), Same, Moves(&[Sn::Creating], SnapTo::Status(Sn::Failed)), Nothing, C::Failure, "Automated backup failed: "),
            O::ExpireSnapshot =>     ("Automated snapshot expiry", From::SnapshotOnly, Same, Moves(&[Sn::Available, Sn::Failed, Sn::Creating], SnapTo::Status(Sn::Deleting)), Kind(J::DeleteSnapshot), C::Deletion, "Deleting snapshot"),
            O::RetainBackups =>      ("Retaining automated backups", s(&[Deleting]), Same, Untouched, Nothing, C::Backup, "Automated backups retained"),
            O::DeleteRetainedBackup => ("Retained backup deletion", From::Retained, Same, Untouched, Nothing, C::Deletion, "Deleting retained automated backups"),
            O::ExpireRetainedBackup => ("Retained backup expiry", From::Retained, Same, Untouched, Nothing, C::Deletion, "Retained automated backups expired"),
            O::Retry =>              ("A retry note", s(ANY), Same, Untouched, Nothing, C::Notification, ""),
            O::Refuse =>             ("A refusal note", s(ANY), Same, Untouched, Nothing, C::Notification, ""),
            O::Resume =>             ("Resuming", s(TRANSITIONAL), Same, Untouched, ForStatus, C::Notification, "Resuming unfinished work"),
            O::ResumeSnapshot =>     ("Resuming a snapshot deletion", From::SnapshotOnly, Same, Moves(&[Sn::Deleting], SnapTo::Status(Sn::Deleting)), Kind(J::DeleteSnapshot), C::Notification, "Resuming unfinished work"),
            O::RestartAfterDown =>   ("Restarting", s(&[Available]), S(Starting), Untouched, Kind(J::Start), C::Notification, "Postgres was not running; starting it again"),
            O::MarkStopped =>        ("Marking stopped", s(&[Available]), S(Stopped), Untouched, Nothing, C::Notification, "Postgres was stopped outside Cornac; the instance is stopped"),
            O::MarkFailed =>         ("Marking failed", s(&[Available]), S(Failed), Untouched, Nothing, C::Notification, "The provider no longer has this instance"),
            O::RecoveredStart =>     ("Recording a restart", s(&[Available]), Same, Untouched, Nothing, C::Notification, "Started again by cornac recover"),
        };
        let reason = match self {
            O::Fail => Reason::Detail,
            O::MarkFailed => Reason::Message,
            _ => Reason::Cleared,
        };
        let protected = matches!(self, O::Delete | O::DeleteWithSnapshot);
        Rule { name, from, to, snapshot, queue, category, message, reason, protected }
    }
}

/// The status a job of `kind` runs in (and is wanted in): its starting operation's. `None` for
/// a job on a snapshot alone.
pub fn status_of(kind: JobKind) -> Option<InstanceStatus> {
    starts().find_map(|(k, status)| (k == kind).then_some(status))
}

/// The job that finishes `status`, when it is a transitional one.
pub fn job_for(status: InstanceStatus) -> Option<JobKind> {
    starts().find_map(|(kind, s)| (s == status).then_some(kind))
}

/// Each starting operation's job and the status it runs in.
fn starts() -> impl Iterator<Item = (JobKind, InstanceStatus)> {
    STARTS.iter().filter_map(|op| {
        let rule = op.rule();
        let (Queue::Kind(kind), To::Status(status)) = (rule.queue, rule.to) else {
            return None;
        };
        Some((kind, status))
    })
}

/// The event a snapshot's own change records: its category and message.
pub fn snapshot_event(to: SnapTo) -> (EventCategory, &'static str) {
    match to {
        SnapTo::Status(SnapshotStatus::Creating) => (EventCategory::Creation, "Creating snapshot"),
        SnapTo::Status(SnapshotStatus::Available) => (EventCategory::Creation, "Snapshot created"),
        SnapTo::Status(SnapshotStatus::Deleting) => (EventCategory::Deletion, "Deleting snapshot"),
        SnapTo::Status(SnapshotStatus::Failed) => (EventCategory::Failure, "Snapshot failed: "),
        SnapTo::Removed => (EventCategory::Deletion, "Deleted snapshot"),
    }
}

/// Why an operation did not happen; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{operation} refused: DB instance {identifier} is {status}")]
    Refused {
        identifier: String,
        status: InstanceStatus,
        operation: &'static str,
    },
    #[error("{operation} refused: DB snapshot {identifier} is {status}")]
    SnapshotRefused {
        identifier: String,
        status: SnapshotStatus,
        operation: &'static str,
    },
    #[error("{operation} refused: DB snapshot {identifier} is still restoring an instance")]
    SnapshotInUse {
        identifier: String,
        operation: &'static str,
    },
    #[error("{operation} refused: an instance is being restored from the automated backups of {identifier}")]
    RetainedInUse {
        identifier: String,
        operation: &'static str,
    },
    #[error("the retained automated backup is gone")]
    RetainedGone,
    #[error("DB instance {0} has deletion protection on")]
    Protected(String),
    #[error("the instance is gone")]
    Gone,
    #[error("the snapshot is gone")]
    SnapshotGone,
    /// A row or a call the table does not allow (a bug, or a row an older version wrote).
    #[error("{0}")]
    Corrupt(String),
    #[error(transparent)]
    Inventory(#[from] cornac_inventory::Error),
}

impl std::convert::From<cornac_inventory::QueryError> for Error {
    fn from(e: cornac_inventory::QueryError) -> Self {
        Self::Inventory(e.into())
    }
}

#[cfg(test)]
mod tests;
