//! The lifecycle against a real inventory: every operation changes the status, records the
//! event and queues the job its table row says, together; a refused operation, or a caller's
//! transaction rolled back, leaves no trace.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{new_instance, setup};
use cornac_domain::{Endpoint, EventCategory, InstanceStatus, ProviderKind};
use cornac_inventory::instances::{self, Changes};
use cornac_inventory::{events, Connection, PgConnection};
use cornac_jobs::lifecycle::{self, Error, Extra, Operation, Queue, To};
use cornac_jobs::JobKind;
use diesel::sql_types::{BigInt, Text};
use diesel::RunQueryDsl;

#[derive(diesel::QueryableByName)]
struct JobRow {
    #[diesel(sql_type = Text)]
    kind: String,
}

/// The kinds of the instance's jobs, oldest first, as the table stores them.
fn jobs(conn: &mut PgConnection, id: i64) -> Vec<String> {
    diesel::sql_query("SELECT kind::text AS kind FROM jobs WHERE instance_id = $1 ORDER BY id")
        .bind::<BigInt, _>(id)
        .load::<JobRow>(conn)
        .unwrap()
        .into_iter()
        .map(|j| j.kind)
        .collect()
}

/// What the instance looks like from outside: status, reason, events and jobs.
fn snapshot(
    conn: &mut PgConnection,
    id: i64,
    name: &str,
) -> (InstanceStatus, Option<String>, Vec<String>, Vec<String>) {
    let row = instances::get(conn, id).unwrap().unwrap();
    let events = events::for_source(conn, name)
        .unwrap()
        .into_iter()
        .map(|e| e.message)
        .collect();
    (row.status, row.status_reason, events, jobs(conn, id))
}

/// Apply `operation` and check the row, the newest event and the newest job against its rule.
fn step(conn: &mut PgConnection, id: i64, name: &str, operation: Operation) {
    let rule = operation.rule();
    let (before, _, events_before, jobs_before) = snapshot(conn, id, name);
    let endpoint = Endpoint {
        address: "127.0.0.1".into(),
        port: 6001,
    };
    let extra = Extra {
        endpoint: Some(&endpoint),
        ..Extra::default()
    };
    let row = lifecycle::apply(conn, id, operation, extra)
        .unwrap_or_else(|e| panic!("{operation:?} from {before}: {e}"));
    if rule.to == To::Removed {
        assert!(row.is_none());
        assert!(instances::get(conn, id).unwrap().is_none(), "{operation:?}");
        let last = events::for_source(conn, name).unwrap().pop().unwrap();
        assert_eq!(
            (last.message.as_str(), last.categories),
            (rule.message, vec![rule.category])
        );
        return;
    }
    let row = row.unwrap();
    let want = match rule.to {
        To::Status(status) => status,
        To::Same | To::Removed => before,
    };
    assert_eq!(row.status, want, "{operation:?} from {before}");
    assert_eq!(row.endpoint_port, Some(6001), "the endpoint goes in too");
    let (after, _, events_after, jobs_after) = snapshot(conn, id, name);
    assert_eq!(after, want);
    assert_eq!(events_after.len(), events_before.len() + 1, "{operation:?}");
    let last = events::for_source(conn, name).unwrap().pop().unwrap();
    assert_eq!(
        (last.message.as_str(), last.categories),
        (rule.message, vec![rule.category]),
        "{operation:?}"
    );
    let queued = match rule.queue {
        Queue::Nothing => None,
        Queue::Kind(kind) => Some(kind),
        Queue::ForStatus => lifecycle::job_for(before),
    };
    match queued {
        Some(kind) => {
            assert_eq!(jobs_after.len(), jobs_before.len() + 1, "{operation:?}");
            assert_eq!(jobs_after.last().map(String::as_str), Some(kind.as_str()));
        }
        None => assert_eq!(jobs_after, jobs_before, "{operation:?} queues nothing"),
    }
}

#[test]
fn every_operation_changes_status_event_and_job_together() {
    let s = setup();
    let mut conn = s.conn();
    let new = new_instance("walk");
    let row = lifecycle::create(
        &mut conn,
        &new,
        cornac_inventory::accounts::DEFAULT,
        "arn:walk",
        ProviderKind::Local,
    )
    .unwrap();
    assert_eq!(row.status, InstanceStatus::Creating);
    assert_eq!(
        snapshot(&mut conn, row.id, "walk"),
        (
            InstanceStatus::Creating,
            None,
            vec!["DB instance is being created".to_owned()],
            vec!["create".to_owned()]
        )
    );
    let id = row.id;
    use Operation as O;
    for operation in [
        O::Resume,
        O::Finish(JobKind::Create),
        O::Modify,
        O::Stop,
        O::Finish(JobKind::Stop),
        O::Start,
        O::Finish(JobKind::Start),
        O::Reboot,
        O::Finish(JobKind::Reboot),
        O::ModifyByWorker,
        O::Finish(JobKind::Modify),
        O::RecoveredStart,
        O::MarkStopped,
        O::Start,
        O::Fail,
        O::Start,
        O::Finish(JobKind::Start),
        O::RestartAfterDown,
        O::Finish(JobKind::Start),
        O::Retry,
        O::Refuse,
        O::MarkFailed,
        O::Delete,
        O::Finish(JobKind::Delete),
    ] {
        step(&mut conn, id, "walk", operation);
    }
}

#[test]
fn refused_operations_change_nothing() {
    let s = setup();
    let mut conn = s.conn();
    let row = lifecycle::create(
        &mut conn,
        &new_instance("busy"),
        cornac_inventory::accounts::DEFAULT,
        "arn:busy",
        ProviderKind::Local,
    )
    .unwrap();
    let before = snapshot(&mut conn, row.id, "busy");
    // Work in progress takes no request, and a job of another kind does not finish it.
    for operation in [
        Operation::Delete,
        Operation::Start,
        Operation::Stop,
        Operation::Reboot,
        Operation::Modify,
        Operation::ModifyByWorker,
        Operation::Finish(JobKind::Stop),
        Operation::MarkStopped,
    ] {
        let changes = Changes {
            backup_retention_period: Some(7),
            ..Changes::default()
        };
        let extra = Extra {
            changes: Some(&changes),
            ..Extra::default()
        };
        let refused = lifecycle::apply(&mut conn, row.id, operation, extra);
        assert!(
            matches!(
                refused,
                Err(Error::Refused {
                    status: InstanceStatus::Creating,
                    ..
                })
            ),
            "{operation:?}: {refused:?}"
        );
        assert_eq!(snapshot(&mut conn, row.id, "busy"), before, "{operation:?}");
        assert_eq!(
            instances::get(&mut conn, row.id)
                .unwrap()
                .unwrap()
                .backup_retention_period,
            1,
            "{operation:?} left the settings alone"
        );
    }
    // Started while available: refused, as RDS refuses it (the old code let it through).
    lifecycle::apply(
        &mut conn,
        row.id,
        Operation::Finish(JobKind::Create),
        Extra::default(),
    )
    .unwrap();
    let before = snapshot(&mut conn, row.id, "busy");
    assert!(matches!(
        lifecycle::change(&mut conn, row.id, Operation::Start, Extra::default()),
        Err(Error::Refused {
            status: InstanceStatus::Available,
            ..
        })
    ));
    assert_eq!(snapshot(&mut conn, row.id, "busy"), before);
    // Deletion protection refuses a delete, and only a delete.
    let protect = Changes {
        deletion_protection: Some(true),
        ..Changes::default()
    };
    lifecycle::change(
        &mut conn,
        row.id,
        Operation::Modify,
        Extra {
            changes: Some(&protect),
            ..Extra::default()
        },
    )
    .unwrap();
    let before = snapshot(&mut conn, row.id, "busy");
    assert!(matches!(
        lifecycle::change(&mut conn, row.id, Operation::Delete, Extra::default()),
        Err(Error::Protected(name)) if name == "busy"
    ));
    assert_eq!(snapshot(&mut conn, row.id, "busy"), before);
    // Nothing to resume on a settled instance.
    assert!(matches!(
        lifecycle::change(&mut conn, row.id, Operation::Resume, Extra::default()),
        Err(Error::Refused { .. })
    ));
    assert_eq!(snapshot(&mut conn, row.id, "busy"), before);
    assert!(matches!(
        lifecycle::change(&mut conn, 999_999, Operation::Stop, Extra::default()),
        Err(Error::Gone)
    ));
}

#[test]
fn the_callers_transaction_holds_all_three() {
    let s = setup();
    let mut conn = s.conn();
    let row = lifecycle::create(
        &mut conn,
        &new_instance("kept"),
        cornac_inventory::accounts::DEFAULT,
        "arn:kept",
        ProviderKind::Local,
    )
    .unwrap();
    lifecycle::apply(
        &mut conn,
        row.id,
        Operation::Finish(JobKind::Create),
        Extra::default(),
    )
    .unwrap();
    let before = snapshot(&mut conn, row.id, "kept");
    // The caller fails after the lifecycle's part: status, event and job all roll back.
    let outcome = conn.transaction::<(), Error, _>(|conn| {
        lifecycle::change(conn, row.id, Operation::Stop, Extra::default())?;
        Err(Error::Gone)
    });
    assert!(outcome.is_err());
    assert_eq!(snapshot(&mut conn, row.id, "kept"), before);
    // A create rolled back leaves no row, event or job.
    let outcome = conn.transaction::<(), Error, _>(|conn| {
        let row = lifecycle::create(
            conn,
            &new_instance("ghost"),
            cornac_inventory::accounts::DEFAULT,
            "arn:ghost",
            ProviderKind::Local,
        )?;
        assert_eq!(jobs(conn, row.id), ["create"]);
        Err(Error::Gone)
    });
    assert!(outcome.is_err());
    assert!(instances::find(&mut conn, "ghost").unwrap().is_none());
    assert!(events::for_source(&mut conn, "ghost").unwrap().is_empty());
}

#[test]
fn a_failure_keeps_its_reason_and_a_finish_clears_it() {
    let s = setup();
    let mut conn = s.conn();
    let row = lifecycle::create(
        &mut conn,
        &new_instance("broken"),
        cornac_inventory::accounts::DEFAULT,
        "arn:broken",
        ProviderKind::Local,
    )
    .unwrap();
    let extra = Extra {
        detail: Some("disk full"),
        ..Extra::default()
    };
    let failed = lifecycle::change(&mut conn, row.id, Operation::Fail, extra).unwrap();
    assert_eq!(
        (failed.status, failed.status_reason.as_deref()),
        (InstanceStatus::Failed, Some("disk full"))
    );
    let last = events::for_source(&mut conn, "broken")
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (last.message.as_str(), last.categories),
        (
            "DB instance failed: disk full",
            vec![EventCategory::Failure]
        )
    );
    lifecycle::change(&mut conn, row.id, Operation::Start, Extra::default()).unwrap();
    let started = lifecycle::change(
        &mut conn,
        row.id,
        Operation::Finish(JobKind::Start),
        Extra::default(),
    )
    .unwrap();
    assert_eq!(
        (started.status, started.status_reason),
        (InstanceStatus::Available, None)
    );
}
