//! The worker against a real inventory and the real local provider: jobs run to the end,
//! transient failures are retried (and say so in events), the last failure marks the instance
//! `failed`, and a job whose worker died is taken over when its lease lapses.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{runtime, setup, spawn};
use cornac_domain::{InstanceStatus, ObservedState, Provider, ResourceId};
use cornac_inventory::instances;
use cornac_inventory::{JobState, PgConnection};
use cornac_jobs::{queue, Job, JobKind};
use diesel::Connection;
use std::time::{Duration, Instant};

#[test]
fn create_then_delete_through_the_worker() {
    let s = setup();
    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let (id, resource_id) = s.requested("made");
    let row = s.settle(id, InstanceStatus::Available);
    let port = row.endpoint_port.unwrap();
    let url = format!("host=127.0.0.1 port={port} user=owner password=passw0rd-123 dbname=app");
    assert!(PgConnection::establish(&url).is_ok());

    let mut conn = s.conn();
    conn.transaction(|conn| {
        instances::transition(conn, id, cornac_domain::InstanceStatus::Deleting, None).unwrap();
        queue::enqueue(
            conn,
            Job {
                kind: JobKind::Delete,
                instance_id: id,
                snapshot_id: None,
            },
        )
    })
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while instances::get(&mut conn, id).unwrap().is_some() {
        assert!(Instant::now() < deadline, "never deleted");
        std::thread::sleep(Duration::from_millis(50));
    }
    let rid = ResourceId::parse(&resource_id).unwrap();
    assert_eq!(provider.inspect(&rid).unwrap(), ObservedState::Missing);
    assert!(s
        .messages("made")
        .contains(&"DB instance deleted".to_owned()));
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn transient_failures_are_retried_and_reported() {
    let s = setup();
    let rt = runtime();
    let provider = s.provider(2, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let (id, resource_id) = s.requested("flaky");
    s.settle(id, InstanceStatus::Available);
    let messages = s.messages("flaky");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Attempt 1 failed: injected failure")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("Attempt 2 failed")),
        "{messages:?}"
    );
    assert!(messages.contains(&"DB instance created".to_owned()));
    provider
        .delete(&ResourceId::parse(&resource_id).unwrap())
        .unwrap();
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn the_last_failure_marks_the_instance_failed() {
    let s = setup();
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(s.provider(100, false), "w1"));
    let (id, _) = s.requested("doomed");
    let row = s.settle(id, InstanceStatus::Failed);
    assert_eq!(row.status_reason.as_deref(), Some("injected failure"));
    let messages = s.messages("doomed");
    assert_eq!(
        messages.iter().filter(|m| m.starts_with("Attempt")).count(),
        2,
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m == "DB instance failed: injected failure"),
        "{messages:?}"
    );

    // A permanent failure is not retried.
    let (id, _) = {
        stop.send(true).unwrap();
        rt.block_on(running).unwrap();
        let (_stop, _running) = spawn(&rt, s.worker(s.provider(1, true), "w2"));
        let requested = s.requested("broken");
        s.settle(requested.0, InstanceStatus::Failed);
        requested
    };
    assert!(!s
        .messages("broken")
        .iter()
        .any(|m| m.starts_with("Attempt")));
    assert_eq!(
        instances::get(&mut s.conn(), id).unwrap().unwrap().status,
        InstanceStatus::Failed
    );
}

#[test]
fn a_dead_workers_job_is_taken_over_after_its_lease() {
    let s = setup();
    let (id, resource_id) = s.requested("orphan");
    // A worker claims it and dies without a word.
    let claimed = queue::claim(&mut s.conn(), "dead-worker", Duration::from_secs(2))
        .unwrap()
        .unwrap();
    assert_eq!(claimed.instance_id, id);
    assert!(
        queue::claim(&mut s.conn(), "other", Duration::from_secs(2))
            .unwrap()
            .is_none(),
        "held while leased"
    );
    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "heir"));
    s.settle(id, InstanceStatus::Available);
    provider
        .delete(&ResourceId::parse(&resource_id).unwrap())
        .unwrap();
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn two_workers_provision_each_instance_exactly_once() {
    let s = setup();
    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop_a, a) = spawn(&rt, s.worker(provider.clone(), "a"));
    let (stop_b, b) = spawn(&rt, s.worker(provider.clone(), "b"));
    let requested: Vec<(i64, String)> = (0..20)
        .map(|i| s.requested(&format!("twin{i:02}")))
        .collect();
    for (id, _) in &requested {
        s.settle(*id, InstanceStatus::Available);
    }
    assert_eq!(provider.list().unwrap().len(), 20, "one cluster each");
    let attempts: Vec<(JobState, i32, Option<String>)> = {
        use cornac_inventory::schema::jobs::dsl::*;
        use diesel::prelude::*;
        jobs.select((state, attempts, worker))
            .load(&mut s.conn())
            .unwrap()
    };
    let kinds: Vec<(cornac_jobs::JobKind, i64)> = {
        use cornac_inventory::schema::jobs::dsl::*;
        use diesel::prelude::*;
        jobs.select((kind, instance_id))
            .load(&mut s.conn())
            .unwrap()
    };
    assert_eq!(attempts.len(), 20, "{kinds:?} {attempts:?}");
    assert!(
        attempts
            .iter()
            .all(|(st, n, _)| *st == JobState::Done && *n == 1),
        "{attempts:?}"
    );
    for w in ["a", "b"] {
        assert!(
            attempts.iter().any(|(_, _, by)| by.as_deref() == Some(w)),
            "worker {w} took part: {attempts:?}"
        );
    }
    stop_a.send(true).unwrap();
    stop_b.send(true).unwrap();
    rt.block_on(a).unwrap();
    rt.block_on(b).unwrap();
    for (_, rid) in requested {
        provider.delete(&ResourceId::parse(&rid).unwrap()).unwrap();
    }
}

#[test]
fn the_worker_rides_out_an_inventory_outage() {
    let s = setup();
    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "steady"));
    s.inventory.stop();
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        !running.is_finished(),
        "the worker keeps going while the inventory is down"
    );
    s.inventory.restart();
    let (id, rid) = s.requested("after");
    s.settle(id, InstanceStatus::Available);
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    provider.delete(&ResourceId::parse(&rid).unwrap()).unwrap();
}

#[test]
fn shutdown_lets_the_running_job_finish() {
    let s = setup();
    let rt = runtime();
    let slow = s.slow(Duration::from_secs(2));
    let (stop, running) = spawn(&rt, s.worker(slow.clone(), "graceful"));
    // No backups: the job is the create alone, well within the shutdown's grace.
    let mut new = common::new_instance("finishing");
    new.backup_retention_days = 0;
    let (id, rid) = s.requested_with(new);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let state: JobState = {
            use cornac_inventory::schema::jobs::dsl::*;
            use diesel::prelude::*;
            jobs.select(state).first(&mut s.conn()).unwrap()
        };
        if state == JobState::Running {
            break;
        }
        assert!(Instant::now() < deadline, "the job never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    // The worker returned only once the job it held was done.
    assert_eq!(
        instances::get(&mut s.conn(), id).unwrap().unwrap().status,
        InstanceStatus::Available
    );
    slow.delete(&ResourceId::parse(&rid).unwrap()).unwrap();
}
