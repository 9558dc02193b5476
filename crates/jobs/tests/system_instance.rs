//! The inventory's own instance (a system instance) through the worker: jobs an older version's
//! API queued to stop or delete it are refused, with an event, and the instance keeps running
//! (reconcile.rs shows the reconciler still starts it when it is found down).

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{available, runtime, setup, spawn};
use cornac_domain::{InstanceStatus, ObservedState, Provider};
use cornac_inventory::schema::jobs;
use cornac_inventory::{instances, JobState};
use cornac_jobs::reconcile::{reconcile, Report};
use cornac_jobs::{queue, Job, JobKind};
use diesel::prelude::*;
use std::time::{Duration, Instant};

#[test]
fn queued_stop_and_delete_on_the_inventory_are_refused() {
    let s = setup();
    let (id, rid) = available(&s, "cornac");
    let mut conn = s.conn();
    assert!(instances::mark_system(&mut conn, rid.as_str()).unwrap());
    // What an older version's StopDBInstance and a stray delete left in the queue.
    conn.transaction(|conn| {
        instances::transition(conn, id, InstanceStatus::Stopping, None).unwrap();
        for kind in [JobKind::Stop, JobKind::Delete] {
            queue::enqueue(
                conn,
                Job {
                    kind,
                    instance_id: id,
                    snapshot_id: None,
                },
            )?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();

    let provider = s.provider(0, false);
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let finished = loop {
        let states: Vec<(JobKind, JobState, Option<String>)> = jobs::table
            .filter(jobs::instance_id.eq(id))
            .filter(jobs::kind.ne(JobKind::Create))
            .order(jobs::id)
            .select((jobs::kind, jobs::state, jobs::last_error))
            .load(&mut conn)
            .unwrap();
        if states
            .iter()
            .all(|(_, state, _)| *state == JobState::Failed)
        {
            break states;
        }
        assert!(Instant::now() < deadline, "{states:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();

    for ((kind, _, error), want) in finished.iter().zip([JobKind::Stop, JobKind::Delete]) {
        assert_eq!(*kind, want);
        assert!(
            error.as_deref().is_some_and(|e| e.starts_with(&format!(
                "{want} job refused: cornac is Cornac's inventory, a system instance"
            ))),
            "{error:?}"
        );
    }
    // Untouched: still running, still recorded, its status as it was; the refusals are events.
    assert!(matches!(
        provider.inspect(&rid).unwrap(),
        ObservedState::Running(_)
    ));
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert_eq!(row.status, InstanceStatus::Stopping);
    let messages = s.messages("cornac");
    for want in ["stop", "delete"] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("{want} job refused"))),
            "{messages:?}"
        );
    }
    // The reconciler does not queue the refused work again.
    assert_eq!(
        reconcile(&mut conn, provider.as_ref()).unwrap(),
        Report::default()
    );
    let pending: i64 = jobs::table
        .filter(jobs::state.eq_any(JobState::PENDING))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(pending, 0);
    provider.delete(&rid).unwrap();
}
