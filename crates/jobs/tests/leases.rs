//! The apalis worker keeps the queue's promises: a running job's lease is renewed so no other
//! worker takes it, a worker killed mid-job loses it to another once its lease lapses (and a
//! worker that lost its lease records nothing), two workers never run two jobs of one instance
//! at once (not even while a claim is being committed), a job given back at shutdown costs no attempt, and shutdown waits for a running job
//! only `shutdown_grace_secs`.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{runtime, setup, spawn, stop_all, Setup};
use cornac_domain::{InstanceStatus, Provider, ResourceId};
use cornac_inventory::schema::jobs;
use cornac_inventory::{instances, JobState};
use cornac_jobs::{queue, Job, JobKind, Worker};
use diesel::prelude::*;
use std::time::{Duration, Instant};

/// (state, attempts, worker) of every job, oldest first.
fn jobs_of(s: &Setup) -> Vec<(JobState, i32, Option<String>)> {
    jobs::table
        .order(jobs::id)
        .select((jobs::state, jobs::attempts, jobs::worker))
        .load(&mut s.conn())
        .unwrap()
}

/// Wait (bounded) until the oldest job is running.
fn until_running(s: &Setup) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while jobs_of(s).first().map(|j| j.0) != Some(JobState::Running) {
        assert!(Instant::now() < deadline, "the job never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_running_jobs_lease_is_renewed() {
    let s = setup();
    let rt = runtime();
    // Each create outlasts the lease (6 s) twice over; a second worker stands by.
    let provider = s.slow(Duration::from_secs(13));
    let workers = vec![
        spawn(&rt, s.worker(provider.clone(), "a")),
        spawn(&rt, s.worker(provider.clone(), "b")),
    ];
    let (id, rid) = s.requested("held");
    s.settle(id, InstanceStatus::Available);
    let jobs = jobs_of(&s);
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].0, jobs[0].1), (JobState::Done, 1), "{jobs:?}");
    stop_all(&rt, workers);
    provider.delete(&ResourceId::parse(&rid).unwrap()).unwrap();
}

#[test]
fn a_killed_workers_job_is_taken_over_after_its_lease() {
    let s = setup();
    let doomed = runtime();
    // Worker "a" claims the create and is stuck in the provider when it is killed.
    let (_stop_a, _a) = spawn(&doomed, s.worker(s.slow(Duration::from_secs(120)), "a"));
    let (id, rid) = s.requested("orphan");
    until_running(&s);
    assert_eq!(jobs_of(&s)[0].2.as_deref(), Some("a"));
    // Its tasks (the lease renewals among them) die with its runtime.
    doomed.shutdown_background();

    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "heir"));
    s.settle(id, InstanceStatus::Available);
    let jobs = jobs_of(&s);
    assert_eq!(
        jobs,
        vec![(JobState::Done, 2, Some("heir".to_owned()))],
        "taken over, on a second attempt"
    );
    stop_all(&rt, vec![(stop, running)]);
    provider.delete(&ResourceId::parse(&rid).unwrap()).unwrap();
}

#[test]
fn two_workers_never_run_two_jobs_of_one_instance_at_once() {
    let s = setup();
    let (id, rid) = s.requested("single");
    // A second job for the same instance, queued behind the first.
    queue::enqueue(
        &mut s.conn(),
        Job {
            kind: JobKind::Create,
            instance_id: id,
            snapshot_id: None,
        },
    )
    .unwrap();
    let rt = runtime();
    let provider = s.slow(Duration::from_secs(2));
    let workers = vec![
        spawn(&rt, s.worker(provider.clone(), "a")),
        spawn(&rt, s.worker(provider.clone(), "b")),
    ];
    s.settle(id, InstanceStatus::Available);
    let deadline = Instant::now() + Duration::from_secs(30);
    let spans = loop {
        type Span = (
            JobState,
            Option<chrono::DateTime<chrono::Utc>>,
            Option<chrono::DateTime<chrono::Utc>>,
        );
        let spans: Vec<Span> = jobs::table
            .order(jobs::id)
            .select((jobs::state, jobs::first_claimed_at, jobs::finished_at))
            .load(&mut s.conn())
            .unwrap();
        if spans.iter().all(|j| j.0 == JobState::Done) {
            break spans;
        }
        assert!(Instant::now() < deadline, "{spans:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let (first_done, second_claimed) = (spans[0].2.unwrap(), spans[1].1.unwrap());
    assert!(
        second_claimed >= first_done,
        "the second job started before the first ended: {spans:?}"
    );
    stop_all(&rt, workers);
    provider.delete(&ResourceId::parse(&rid).unwrap()).unwrap();
}

#[test]
fn a_claim_not_yet_committed_keeps_the_instances_next_job_back() {
    let s = setup();
    let (id, _) = s.requested("raced");
    queue::enqueue(
        &mut s.conn(),
        Job {
            kind: JobKind::Reboot,
            instance_id: id,
            snapshot_id: None,
        },
    )
    .unwrap();
    let lease = Duration::from_secs(60);
    let (mut a, mut b) = (s.conn(), s.conn());
    a.transaction(|a| {
        // "a" holds the create, not committed yet: to "b" it still looks queued.
        let first = queue::claim(a, "a", lease)?.unwrap();
        assert_eq!(first.kind, JobKind::Create);
        assert!(
            queue::claim(&mut b, "b", lease)?.is_none(),
            "the reboot was claimed while the create was being claimed"
        );
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    assert!(queue::claim(&mut b, "b", lease).unwrap().is_none());
}

#[test]
fn a_job_given_back_costs_no_attempt() {
    let s = setup();
    let (id, _) = s.requested("returned");
    let mut conn = s.conn();
    let lease = Duration::from_secs(60);
    let claimed = queue::claim(&mut conn, "leaving", lease).unwrap().unwrap();
    assert_eq!((claimed.instance_id, claimed.attempt), (id, 1));
    // Only the holder may give it back.
    queue::release(&mut conn, claimed.id, "someone-else").unwrap();
    assert!(queue::claim(&mut conn, "other", lease).unwrap().is_none());
    queue::release(&mut conn, claimed.id, "leaving").unwrap();
    assert_eq!(jobs_of(&s), vec![(JobState::Queued, 0, None)]);
    let again = queue::claim(&mut conn, "other", lease).unwrap().unwrap();
    assert_eq!((again.id, again.attempt), (claimed.id, 1));
}

#[test]
fn a_worker_that_lost_its_lease_records_nothing() {
    let s = setup();
    s.requested("contested");
    let mut conn = s.conn();
    // "slow" lets its lease lapse at once; "heir" takes the job over.
    let first = queue::claim(&mut conn, "slow", Duration::ZERO)
        .unwrap()
        .unwrap();
    std::thread::sleep(Duration::from_millis(10));
    let second = queue::claim(&mut conn, "heir", Duration::from_secs(60))
        .unwrap()
        .unwrap();
    assert_eq!((second.id, second.attempt), (first.id, 2));
    assert!(!queue::complete(&mut conn, first.id, "slow").unwrap());
    assert!(!queue::give_up(&mut conn, first.id, "slow", "late").unwrap());
    assert!(!queue::retry(&mut conn, first.id, "slow", Duration::ZERO, "late").unwrap());
    assert_eq!(
        jobs_of(&s),
        vec![(JobState::Running, 2, Some("heir".to_owned()))]
    );
    assert!(queue::complete(&mut conn, first.id, "heir").unwrap());
    assert_eq!(
        jobs_of(&s),
        vec![(JobState::Done, 2, Some("heir".to_owned()))]
    );
}

#[test]
fn shutdown_waits_for_a_running_job_only_the_grace() {
    let s = setup();
    let rt = runtime();
    let mut worker: Worker = s.worker(s.slow(Duration::from_secs(120)), "impatient");
    worker.settings.shutdown_grace_secs = 1;
    let (stop, running) = spawn(&rt, worker);
    let (id, _) = s.requested("unfinished");
    until_running(&s);
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    // The worker returned with the job still held: its lease will lapse for another worker.
    assert_eq!(jobs_of(&s)[0].0, JobState::Running);
    assert_eq!(
        instances::get(&mut s.conn(), id).unwrap().unwrap().status,
        InstanceStatus::Creating
    );
    // Not waiting for the provider's thread either.
    rt.shutdown_background();
}

/// A job of a kind this version does not know (a newer version wrote it) is given up once, with
/// the reason, and the claim goes on to the next job instead of failing every time.
#[test]
fn a_job_of_an_unknown_kind_is_given_up_once() {
    let s = setup();
    let (id, _) = s.requested("from-the-future");
    let mut conn = s.conn();
    diesel::sql_query("ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_kind_check")
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("UPDATE jobs SET kind = 'teleport'")
        .execute(&mut conn)
        .unwrap();
    let (other, _) = s.requested("known");
    let lease = Duration::from_secs(60);
    let claimed = queue::claim(&mut conn, "w", lease).unwrap().unwrap();
    assert_eq!(
        (claimed.instance_id, claimed.kind),
        (other, JobKind::Create)
    );
    let (state, error): (JobState, Option<String>) = jobs::table
        .filter(jobs::instance_id.eq(id))
        .select((jobs::state, jobs::last_error))
        .first(&mut conn)
        .unwrap();
    assert_eq!(state, JobState::Failed);
    assert!(
        error
            .as_deref()
            .unwrap_or("")
            .contains("unknown job kind \"teleport\""),
        "{error:?}"
    );
    assert!(queue::claim(&mut conn, "w", lease).unwrap().is_none());
}
