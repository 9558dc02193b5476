//! Applying the table to an instance: a new row (create, restore, register) or a change of an
//! existing one, with the snapshot it records or moves, its events and its job, in one
//! transaction.

use super::snapshot::{check_snapshot, move_snapshot, snapshot_record};
use super::{snapshot_event, Error, From, Operation, Queue, Reason, Rule, Snap, SnapTo, To};
use crate::{queue, Job};
use cornac_domain::{
    Endpoint, InstanceStatus, NewInstance, ProviderKind, ResourceId, RestorePoint, RestoreSource,
    SnapshotIdentifier, SnapshotType, SourceType,
};
use cornac_inventory::instances::{self, Changes, DbInstance, Placement, TransitionError};
use cornac_inventory::snapshots::{self, NewSnapshot};
use cornac_inventory::{accounts, events, tags, Connection, PgConnection};

/// A snapshot an operation records of the instance (`Snap::New`).
#[derive(Debug, Clone)]
pub struct NewSnapshotArgs {
    pub identifier: SnapshotIdentifier,
    pub arn: String,
    pub snapshot_type: SnapshotType,
    /// Its tags; when none are given and the instance has `CopyTagsToSnapshot`, the
    /// instance's.
    pub tags: Vec<(String, String)>,
    /// Its `SnapshotCreateTime`: the schedule's clock for an automated one, else the
    /// inventory's `now()`.
    pub taken_at: Option<chrono::DateTime<chrono::Utc>>,
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
    /// The snapshot the operation records (`Snap::New`).
    pub new_snapshot: Option<&'a NewSnapshotArgs>,
    /// The snapshot the operation moves (`Snap::Moves`: the job's).
    pub snapshot_id: Option<i64>,
}

/// Where a new row's data comes from.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    /// Nothing: an empty instance (or one already running, registered).
    Empty,
    /// The backup of this snapshot (which must be available).
    Snapshot(i64),
    /// A point of another instance's backups, described for the event.
    Point(&'a RestoreSource, &'a str),
}

/// Record `new` as `creating`, with its event and its create job.
pub fn create(
    conn: &mut PgConnection,
    new: &NewInstance,
    account_id: &str,
    arn: &str,
    provider: ProviderKind,
) -> Result<DbInstance, Error> {
    insert(
        conn,
        Operation::Create,
        new,
        (account_id, arn),
        provider,
        None,
        Origin::Empty,
    )
}

/// Record `new` as `creating` from the snapshot `snapshot_id` (which must be available); its
/// create job restores that snapshot's backup.
pub fn restore(
    conn: &mut PgConnection,
    new: &NewInstance,
    account_id: &str,
    arn: &str,
    provider: ProviderKind,
    snapshot_id: i64,
) -> Result<DbInstance, Error> {
    let origin = Origin::Snapshot(snapshot_id);
    insert(
        conn,
        Operation::Restore,
        new,
        (account_id, arn),
        provider,
        None,
        origin,
    )
}

/// Record `new` as `creating` from a point of another instance's backups (`source`; the caller
/// has checked it is within that instance's restorable window); its create job restores it.
/// `described` names the source and the point in the event.
pub fn restore_to_point(
    conn: &mut PgConnection,
    new: &NewInstance,
    account_id: &str,
    arn: &str,
    provider: ProviderKind,
    source: &RestoreSource,
    described: &str,
) -> Result<DbInstance, Error> {
    let origin = Origin::Point(source, described);
    let operation = Operation::RestoreToPointInTime;
    insert(
        conn,
        operation,
        new,
        (account_id, arn),
        provider,
        None,
        origin,
    )
}

/// Record `new`, already running at `endpoint`, as a system instance (`cornac bootstrap`).
pub fn register(
    conn: &mut PgConnection,
    new: &NewInstance,
    arn: &str,
    provider: ProviderKind,
    endpoint: &Endpoint,
) -> Result<DbInstance, Error> {
    let (operation, origin) = (Operation::Register, Origin::Empty);
    let owner = (accounts::SYSTEM, arn);
    insert(
        conn,
        operation,
        new,
        owner,
        provider,
        Some(endpoint),
        origin,
    )
}

/// `owner`: the account the row belongs to, and its ARN (which carries that account's id).
fn insert(
    conn: &mut PgConnection,
    operation: Operation,
    new: &NewInstance,
    (account_id, arn): (&str, &str),
    provider: ProviderKind,
    endpoint: Option<&Endpoint>,
    origin: Origin<'_>,
) -> Result<DbInstance, Error> {
    let rule = operation.rule();
    let (From::New, To::Status(status)) = (rule.from, rule.to) else {
        return Err(refused_new(new, rule));
    };
    conn.transaction(|conn| {
        let (restore, message) = match (rule.snapshot, origin) {
            (Snap::Uses(from), Origin::Snapshot(id)) => {
                let source = check_snapshot(conn, id, from, rule)?;
                let restore = RestoreSource {
                    instance: ResourceId::parse(&source.dbi_resource_id)
                        .map_err(|e| Error::Corrupt(e.to_string()))?,
                    point: RestorePoint::Backup(
                        source.key().map_err(|e| Error::Corrupt(e.to_string()))?,
                    ),
                };
                let message = format!("{} {}", rule.message, source.identifier);
                (Some(restore), message)
            }
            (Snap::Untouched, Origin::Point(source, described))
                if operation == Operation::RestoreToPointInTime =>
            {
                (
                    Some(source.clone()),
                    format!("{} {described}", rule.message),
                )
            }
            (Snap::Untouched, Origin::Empty) if operation != Operation::RestoreToPointInTime => {
                (None, rule.message.to_owned())
            }
            _ => return Err(refused_new(new, rule)),
        };
        let placement = Placement {
            account_id,
            arn,
            provider,
            status,
            endpoint,
            system: operation == Operation::Register,
            restore: restore.as_ref(),
        };
        let row = instances::insert(conn, new, placement)?;
        record(conn, &row, rule, &message, status, None)?;
        Ok(row)
    })
}

fn refused_new(new: &NewInstance, rule: Rule) -> Error {
    Error::Refused {
        identifier: new.identifier.to_string(),
        status: InstanceStatus::Creating,
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
        let detail = extra.detail.unwrap_or_default();
        let message = format!("{}{detail}", rule.message);
        let snapshot = snapshot_effect(conn, &row, rule, extra, detail)?;
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
                record(conn, &row, rule, &message, was, snapshot)?;
                if row.retain_automated_backups {
                    super::retained::keep(conn, &row)?;
                }
                instances::delete(conn, id)?;
                return Ok(None);
            }
        }
        record(conn, &row, rule, &message, was, snapshot)?;
        Ok(Some(row))
    })
}

/// What the rule does to a snapshot of `row`: the snapshot recorded or moved, if any.
fn snapshot_effect(
    conn: &mut PgConnection,
    row: &DbInstance,
    rule: Rule,
    extra: Extra<'_>,
    detail: &str,
) -> Result<Option<i64>, Error> {
    match rule.snapshot {
        Snap::Untouched | Snap::Uses(_) => Ok(None),
        Snap::New(status) => {
            let args = extra.new_snapshot.ok_or(Error::Corrupt(format!(
                "{} records a snapshot, and none was given",
                rule.name
            )))?;
            let mut tags = args.tags.clone();
            if tags.is_empty() && row.copy_tags_to_snapshot {
                tags = tags::list(conn, tags::Owner::instance(row.id))?;
            }
            let new = NewSnapshot::of(row, &args.identifier, args.arn.clone(), args.snapshot_type)
                .with_status(status)
                .taken_at(args.taken_at);
            let snapshot = snapshots::insert(conn, &new, &tags)?;
            let (category, message) = snapshot_event(SnapTo::Status(status));
            snapshot_record(conn, &snapshot, category, message)?;
            Ok(Some(snapshot.id))
        }
        // The job's snapshot moves only while it is where the rule moves it from: a stop or
        // delete that failed after recording its snapshot leaves that snapshot available.
        Snap::Moves(from, to) => match extra.snapshot_id {
            Some(id) if snapshots::lock(conn, id)?.is_some_and(|s| from.contains(&s.status)) => {
                move_snapshot(conn, id, from, to, rule, detail)?;
                Ok(Some(id))
            }
            Some(_) | None => Ok(None),
        },
    }
}

/// The instance's event, and the job the rule queues (`was`: the status before the operation),
/// with the snapshot it acts on: the one just recorded, or for a resumed job the instance's
/// snapshot still `creating`.
fn record(
    conn: &mut PgConnection,
    row: &DbInstance,
    rule: Rule,
    message: &str,
    was: InstanceStatus,
    snapshot: Option<i64>,
) -> Result<(), Error> {
    events::record(
        conn,
        &row.account_id,
        SourceType::DbInstance,
        &row.identifier,
        &row.arn,
        rule.category,
        message,
    )?;
    let kind = match rule.queue {
        Queue::Nothing => None,
        Queue::Kind(kind) => Some(kind),
        Queue::ForStatus => Some(super::job_for(was).ok_or(Error::Refused {
            identifier: row.identifier.clone(),
            status: was,
            operation: rule.name,
        })?),
    };
    if let Some(kind) = kind {
        let snapshot_id = match (snapshot, rule.queue) {
            (None, Queue::ForStatus) => snapshots::creating_of(conn, row.id)?.map(|s| s.id),
            (id, _) => id,
        };
        queue::enqueue(
            conn,
            Job {
                kind,
                instance_id: row.id,
                snapshot_id,
            },
        )?;
    }
    Ok(())
}
