//! The instance lifecycle: the only code that changes an instance's status, records its event
//! and enqueues its job, all three in one transaction (the caller's, or a savepoint in it).
//! One table, [`Operation::rule`], says for each operation which statuses it starts from, the
//! status it leaves, the job it queues, and the event it records; a job's final status is the
//! row of `Finish(kind)`. The RDS actions, postgraas, the reconciler, `cornac recover`,
//! `cornac bootstrap` and the worker all call it.

use crate::{queue, Job, JobKind};
use cornac_domain::{Endpoint, EventCategory, InstanceStatus, NewInstance, ProviderKind};
use cornac_inventory::instances::{self, Changes, DbInstance, Placement, TransitionError};
use cornac_inventory::{events, Connection, PgConnection};
use InstanceStatus::*;

/// Everything that changes an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A new instance (`CreateDBInstance`, postgraas): a new row, then the worker creates it.
    Create,
    /// `cornac bootstrap` records the inventory database as a system instance, already running.
    Register,
    Delete,
    Start,
    Stop,
    Reboot,
    /// `ModifyDBInstance` without a new password: settings only, the status stays.
    Modify,
    /// `ModifyDBInstance` with a new master password: the worker sets it.
    ResetPassword,
    /// The worker finished a job of this kind.
    Finish(JobKind),
    /// The worker gave up on a job (its last attempt, or a permanent error).
    Fail,
    /// A job attempt failed and will be tried again: an event only.
    Retry,
    /// The worker refused a job (one no system instance may take): an event only.
    Refuse,
    /// The reconciler found unfinished work with no job: the job again.
    Resume,
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
    /// No row yet.
    New,
    /// A row in one of these statuses.
    Statuses(&'static [InstanceStatus]),
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
    pub queue: Queue,
    pub category: EventCategory,
    /// The event's message; the caller's detail, if any, follows it.
    pub message: &'static str,
    pub reason: Reason,
    /// Refused while deletion protection is on.
    pub protected: bool,
}

const TRANSITIONAL: &[InstanceStatus] = InstanceStatus::TRANSITIONAL;
const ANY: &[InstanceStatus] = InstanceStatus::ALL;

/// The operations a user (or the reconciler) starts work with: each one's job, run in its
/// status, finishes it.
pub const STARTS: [Operation; 6] = [
    Operation::Create,
    Operation::Delete,
    Operation::Start,
    Operation::Stop,
    Operation::Reboot,
    Operation::ResetPassword,
];

impl Operation {
    /// The table: name (for refusals), where it starts, what it leaves, the job it queues, the
    /// event's category and message; then the rows that keep a reason or check protection.
    #[rustfmt::skip]
    pub fn rule(self) -> Rule {
        use EventCategory as C;
        use JobKind as J;
        use Operation as O;
        use Queue::{ForStatus, Kind, Nothing};
        use To::{Removed, Same, Status as S};
        let s = From::Statuses;
        let (name, from, to, queue, category, message) = match self {
            O::Create =>           ("Create", From::New, S(Creating), Kind(J::Create), C::Creation, "DB instance is being created"),
            O::Register =>         ("Registering", From::New, S(Available), Nothing, C::Creation, "Inventory database registered by cornac bootstrap"),
            O::Delete =>           ("Delete", s(&[Available, Stopped, Failed]), S(Deleting), Kind(J::Delete), C::Deletion, "DB instance is being deleted"),
            O::Start =>            ("Start", s(&[Stopped, Failed]), S(Starting), Kind(J::Start), C::Notification, "DB instance is being started"),
            O::Stop =>             ("Stop", s(&[Available]), S(Stopping), Kind(J::Stop), C::Notification, "DB instance is being stopped"),
            O::Reboot =>           ("Reboot", s(&[Available]), S(Rebooting), Kind(J::Reboot), C::Availability, "DB instance is being rebooted"),
            O::Modify =>           ("Modification", s(&[Available, Stopped]), Same, Nothing, C::ConfigurationChange, "DB instance modified"),
            O::ResetPassword =>    ("Master password reset", s(&[Available]), S(Modifying), Kind(J::ResetPassword), C::ConfigurationChange, "DB instance modified"),
            O::Finish(kind) => match kind {
                J::Create =>        ("Finishing a create", s(&[Creating]), S(Available), Nothing, C::Creation, "DB instance created"),
                J::Delete =>        ("Finishing a delete", s(&[Deleting]), Removed, Nothing, C::Deletion, "DB instance deleted"),
                J::Start =>         ("Finishing a start", s(&[Starting]), S(Available), Nothing, C::Notification, "DB instance started"),
                J::Stop =>          ("Finishing a stop", s(&[Stopping]), S(Stopped), Nothing, C::Notification, "DB instance stopped"),
                J::Reboot =>        ("Finishing a reboot", s(&[Rebooting]), S(Available), Nothing, C::Availability, "DB instance restarted"),
                J::ResetPassword => ("Finishing a master password reset", s(&[Modifying]), S(Available), Nothing, C::ConfigurationChange, "Reset master credentials"),
            },
            O::Fail =>             ("Failing", s(TRANSITIONAL), S(Failed), Nothing, C::Failure, "DB instance failed: "),
            O::Retry =>            ("A retry note", s(ANY), Same, Nothing, C::Notification, ""),
            O::Refuse =>           ("A refusal note", s(ANY), Same, Nothing, C::Notification, ""),
            O::Resume =>           ("Resuming", s(TRANSITIONAL), Same, ForStatus, C::Notification, "Resuming unfinished work"),
            O::RestartAfterDown => ("Restarting", s(&[Available]), S(Starting), Kind(J::Start), C::Notification, "Postgres was not running; starting it again"),
            O::MarkStopped =>      ("Marking stopped", s(&[Available]), S(Stopped), Nothing, C::Notification, "Postgres was stopped outside Cornac; the instance is stopped"),
            O::MarkFailed =>       ("Marking failed", s(&[Available]), S(Failed), Nothing, C::Notification, "The provider no longer has this instance"),
            O::RecoveredStart =>   ("Recording a restart", s(&[Available]), Same, Nothing, C::Notification, "Started again by cornac recover"),
        };
        let reason = match self {
            O::Fail => Reason::Detail,
            O::MarkFailed => Reason::Message,
            O::Create | O::Register | O::Delete | O::Start | O::Stop | O::Reboot | O::Modify
            | O::ResetPassword | O::Finish(_) | O::Retry | O::Refuse | O::Resume
            | O::RestartAfterDown | O::MarkStopped | O::RecoveredStart => Reason::Cleared,
        };
        Rule { name, from, to, queue, category, message, reason, protected: self == O::Delete }
    }
}

/// The status a job of `kind` runs in (and is wanted in): its starting operation's.
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

/// Why an operation did not happen; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{operation} refused: DB instance {identifier} is {status}")]
    Refused {
        identifier: String,
        status: InstanceStatus,
        operation: &'static str,
    },
    #[error("DB instance {0} has deletion protection on")]
    Protected(String),
    #[error("the instance is gone")]
    Gone,
    #[error(transparent)]
    Inventory(#[from] cornac_inventory::Error),
}

impl std::convert::From<cornac_inventory::QueryError> for Error {
    fn from(e: cornac_inventory::QueryError) -> Self {
        Self::Inventory(e.into())
    }
}

/// What an operation on an existing row may carry besides the table's columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra<'a> {
    /// Follows the table's message (and is the reason, where the table says so).
    pub detail: Option<&'a str>,
    /// Where the instance now answers.
    pub endpoint: Option<&'a Endpoint>,
    /// Settings changed with it (`ModifyDBInstance`).
    pub changes: Option<&'a Changes>,
}

/// Record `new` as `creating`, with its event and its create job.
pub fn create(
    conn: &mut PgConnection,
    new: &NewInstance,
    arn: &str,
    provider: ProviderKind,
) -> Result<DbInstance, Error> {
    insert(conn, Operation::Create, new, arn, provider, None)
}

/// Record `new`, already running at `endpoint`, as a system instance (`cornac bootstrap`).
pub fn register(
    conn: &mut PgConnection,
    new: &NewInstance,
    arn: &str,
    provider: ProviderKind,
    endpoint: &Endpoint,
) -> Result<DbInstance, Error> {
    insert(
        conn,
        Operation::Register,
        new,
        arn,
        provider,
        Some(endpoint),
    )
}

fn insert(
    conn: &mut PgConnection,
    operation: Operation,
    new: &NewInstance,
    arn: &str,
    provider: ProviderKind,
    endpoint: Option<&Endpoint>,
) -> Result<DbInstance, Error> {
    let rule = operation.rule();
    let (From::New, To::Status(status)) = (rule.from, rule.to) else {
        return Err(refused_new(new, rule));
    };
    conn.transaction(|conn| {
        let placement = Placement {
            arn,
            provider,
            status,
            endpoint,
            system: operation == Operation::Register,
        };
        let row = instances::insert(conn, new, placement)?;
        record(conn, &row, rule, rule.message, status)?;
        Ok(row)
    })
}

fn refused_new(new: &NewInstance, rule: Rule) -> Error {
    Error::Refused {
        identifier: new.identifier.to_string(),
        status: Creating,
        operation: rule.name,
    }
}

/// Apply `operation` to the instance `id`, which it leaves in place (not a finished delete).
pub fn change(
    conn: &mut PgConnection,
    id: i64,
    operation: Operation,
    extra: Extra<'_>,
) -> Result<DbInstance, Error> {
    apply(conn, id, operation, extra)?.ok_or(Error::Gone)
}

/// Apply `operation` to the instance `id`; `None` when it removed the row.
pub fn apply(
    conn: &mut PgConnection,
    id: i64,
    operation: Operation,
    extra: Extra<'_>,
) -> Result<Option<DbInstance>, Error> {
    let rule = operation.rule();
    conn.transaction(|conn| {
        let row = instances::lock(conn, id)?.ok_or(Error::Gone)?;
        let (identifier, was) = (row.identifier.clone(), row.status);
        let refused = || Error::Refused {
            identifier: identifier.clone(),
            status: was,
            operation: rule.name,
        };
        // Deletion protection answers first, whatever the status (as RDS does).
        if rule.protected && row.deletion_protection {
            return Err(Error::Protected(identifier));
        }
        let From::Statuses(from) = rule.from else {
            return Err(refused());
        };
        if !from.contains(&row.status) {
            return Err(refused());
        }
        let mut row = match extra.changes {
            Some(changes) => instances::update(conn, id, changes)?,
            None => row,
        };
        if let Some(endpoint) = extra.endpoint {
            row = instances::set_endpoint(conn, id, endpoint)?;
        }
        let message = format!("{}{}", rule.message, extra.detail.unwrap_or_default());
        match rule.to {
            To::Status(to) => {
                let reason = match rule.reason {
                    Reason::Cleared => None,
                    Reason::Detail => extra.detail,
                    Reason::Message => Some(message.as_str()),
                };
                row = instances::transition(conn, id, to, reason).map_err(|e| match e {
                    TransitionError::Refused(_) => refused(),
                    TransitionError::Gone => Error::Gone,
                    TransitionError::Inventory(e) => Error::Inventory(e),
                })?;
            }
            To::Same => {}
            To::Removed => {
                record(conn, &row, rule, &message, was)?;
                instances::delete(conn, id)?;
                return Ok(None);
            }
        }
        record(conn, &row, rule, &message, was)?;
        Ok(Some(row))
    })
}

/// The event, and the job the rule queues (`was`: the status before the operation).
fn record(
    conn: &mut PgConnection,
    row: &DbInstance,
    rule: Rule,
    message: &str,
    was: InstanceStatus,
) -> Result<(), Error> {
    events::record(conn, &row.identifier, &row.arn, rule.category, message)?;
    let kind = match rule.queue {
        Queue::Nothing => None,
        Queue::Kind(kind) => Some(kind),
        Queue::ForStatus => Some(job_for(was).ok_or(Error::Refused {
            identifier: row.identifier.clone(),
            status: was,
            operation: rule.name,
        })?),
    };
    if let Some(kind) = kind {
        queue::enqueue(
            conn,
            Job {
                kind,
                instance_id: row.id,
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Operation; 22] = [
        Operation::Create,
        Operation::Register,
        Operation::Delete,
        Operation::Start,
        Operation::Stop,
        Operation::Reboot,
        Operation::Modify,
        Operation::ResetPassword,
        Operation::Finish(JobKind::Create),
        Operation::Finish(JobKind::Delete),
        Operation::Finish(JobKind::Start),
        Operation::Finish(JobKind::Stop),
        Operation::Finish(JobKind::Reboot),
        Operation::Finish(JobKind::ResetPassword),
        Operation::Fail,
        Operation::Retry,
        Operation::Refuse,
        Operation::Resume,
        Operation::RestartAfterDown,
        Operation::MarkStopped,
        Operation::MarkFailed,
        Operation::RecoveredStart,
    ];

    #[test]
    fn every_status_change_in_the_table_passes_the_status_machine() {
        for op in ALL {
            let rule = op.rule();
            if let (From::Statuses(from), To::Status(to)) = (rule.from, rule.to) {
                for &status in from {
                    assert_eq!(status.transition(to), Ok(to), "{op:?} from {status}");
                }
            }
        }
    }

    #[test]
    fn each_job_runs_in_one_status_and_finishes_from_it() {
        let kinds = ALL.iter().filter_map(|op| {
            let Operation::Finish(kind) = op else {
                return None;
            };
            Some(*kind)
        });
        assert_eq!(kinds.clone().count(), 6, "a finish for every job kind");
        for kind in kinds {
            let status = status_of(kind).expect("every job kind has a starting operation");
            assert_eq!(job_for(status), Some(kind), "{kind:?}");
            assert!(status.is_transitional(), "{kind:?} runs in {status}");
            assert!(
                matches!(Operation::Finish(kind).rule().from, From::Statuses(f) if f == [status]),
                "{kind:?} finishes from {status}"
            );
        }
        for &status in InstanceStatus::ALL {
            assert_eq!(
                job_for(status).is_some(),
                status.is_transitional(),
                "{status}"
            );
        }
    }

    #[test]
    fn user_requests_start_only_from_settled_statuses() {
        for op in [
            Operation::Delete,
            Operation::Start,
            Operation::Stop,
            Operation::Reboot,
            Operation::Modify,
            Operation::ResetPassword,
        ] {
            let From::Statuses(from) = op.rule().from else {
                panic!("{op:?} acts on a row");
            };
            assert!(
                from.iter().all(|s| !s.is_transitional()),
                "{op:?} may interrupt work in progress"
            );
        }
        // StartDBInstance on a running instance is refused, as RDS does.
        assert!(
            !matches!(Operation::Start.rule().from, From::Statuses(f) if f.contains(&Available))
        );
        // A new password needs the instance running.
        assert_eq!(
            Operation::ResetPassword.rule().from,
            From::Statuses(&[Available])
        );
    }

    #[test]
    fn only_delete_is_refused_by_deletion_protection_and_only_finishing_it_removes() {
        for op in ALL {
            let rule = op.rule();
            assert_eq!(rule.protected, op == Operation::Delete, "{op:?}");
            assert_eq!(
                rule.to == To::Removed,
                op == Operation::Finish(JobKind::Delete),
                "{op:?}"
            );
        }
    }

    #[test]
    fn new_rows_are_made_only_by_create_and_register() {
        for op in ALL {
            assert_eq!(
                op.rule().from == From::New,
                matches!(op, Operation::Create | Operation::Register),
                "{op:?}"
            );
        }
        assert_eq!(Operation::Create.rule().queue, Queue::Kind(JobKind::Create));
        assert_eq!(Operation::Register.rule().queue, Queue::Nothing);
    }

    #[test]
    fn failures_keep_their_reason() {
        assert_eq!(Operation::Fail.rule().reason, Reason::Detail);
        assert_eq!(Operation::Fail.rule().category, EventCategory::Failure);
        assert_eq!(Operation::MarkFailed.rule().reason, Reason::Message);
    }
}
