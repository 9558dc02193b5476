//! The reconciler against real clusters: a killed postmaster is started again (the
//! inventory's, a system instance, too), a cluster stopped outside Cornac makes the instance
//! `stopped`, a vanished one `failed`, unfinished work with no job is resumed, and clusters no
//! row owns are removed.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{available, runtime, setup, spawn, Setup};
use cornac_domain::{InstanceStatus, ObservedState, Provider, ResourceId};
use cornac_inventory::{instances, PgConnection};
use cornac_jobs::reconcile::{reconcile, Report};
use diesel::{QueryDsl, RunQueryDsl};
use std::time::{Duration, Instant};

#[test]
fn a_killed_postmaster_is_started_again() {
    killed_then_started("victim", false);
}

/// The inventory, a system instance, takes no job but a start: the reconciler's.
#[test]
fn a_killed_inventory_is_started_again_too() {
    killed_then_started("cornac", true);
}

fn killed_then_started(name: &str, system: bool) {
    let s = setup();
    let (id, rid) = available(&s, name);
    if system {
        assert!(instances::mark_system(&mut s.conn(), rid.as_str()).unwrap());
    }
    let provider = s.provider(0, false);
    kill_postmaster(&s, provider.as_ref(), &rid);
    // The inventory still says available: the reconciler is what notices.
    assert_eq!(
        instances::get(&mut s.conn(), id).unwrap().unwrap().status,
        InstanceStatus::Available
    );
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "healer"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let messages = s.messages(name);
        if messages
            .iter()
            .any(|m| m == "Postgres was not running; starting it again")
            && messages.last().map(String::as_str) == Some("DB instance started")
        {
            break;
        }
        assert!(Instant::now() < deadline, "{messages:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        s.settle(id, InstanceStatus::Available).status,
        InstanceStatus::Available
    );
    assert!(matches!(
        provider.inspect(&rid).unwrap(),
        ObservedState::Running(_)
    ));
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    provider.delete(&rid).unwrap();
}

#[test]
fn drift_orphans_and_unfinished_work() {
    let s = setup();
    let provider = s.provider(0, false);
    let (stopped_id, stopped) = available(&s, "byhand");
    let (gone_id, gone) = available(&s, "vanished");
    let (orphan_row, orphan) = available(&s, "orphan");
    // No worker runs now. One is stopped by hand, one vanishes, one is forgotten by the
    // inventory, and a row's job is lost.
    provider.stop(&stopped).unwrap();
    assert_eq!(provider.inspect(&stopped).unwrap(), ObservedState::Stopped);
    provider.delete(&gone).unwrap();
    diesel::delete(cornac_inventory::schema::db_instances::table.find(orphan_row))
        .execute(&mut s.conn())
        .unwrap();
    let (lost_id, lost) = s.requested("lost");
    diesel::delete(cornac_inventory::schema::jobs::table)
        .execute(&mut s.conn())
        .unwrap();

    let mut conn: PgConnection = s.conn();
    let report = reconcile(&mut conn, provider.as_ref()).unwrap();
    assert_eq!(
        report,
        Report {
            resumed: 1,
            snapshot_deletions_resumed: 0,
            restarted: 0,
            marked_stopped: 1,
            marked_failed: 1,
            orphans_removed: 1
        }
    );
    assert_eq!(
        instances::get(&mut conn, stopped_id)
            .unwrap()
            .unwrap()
            .status,
        InstanceStatus::Stopped
    );
    let failed = instances::get(&mut conn, gone_id).unwrap().unwrap();
    assert_eq!(
        (failed.status.as_str(), failed.status_reason.as_deref()),
        ("failed", Some("The provider no longer has this instance"))
    );
    assert_eq!(provider.inspect(&orphan).unwrap(), ObservedState::Missing);
    assert_eq!(
        reconcile(&mut conn, provider.as_ref()).unwrap(),
        Report::default(),
        "a second pass finds nothing"
    );

    // The resumed job is real work: a worker finishes it.
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "finisher"));
    s.settle(lost_id, InstanceStatus::Available);
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    for id in [stopped, ResourceId::parse(&lost).unwrap()] {
        provider.delete(&id).unwrap();
    }
}

fn postmaster_pid(s: &Setup, id: &ResourceId) -> String {
    let pidfile = s
        .state
        .path()
        .join("instances")
        .join(id.slug())
        .join("data/postmaster.pid");
    std::fs::read_to_string(pidfile)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned()
}

/// `kill -9` the instance's postmaster, as a crash (or a host reboot) leaves it: `Down`.
fn kill_postmaster(s: &Setup, provider: &dyn Provider, rid: &ResourceId) {
    let pid = postmaster_pid(s, rid);
    std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while provider.inspect(rid).unwrap() != ObservedState::Down {
        assert!(Instant::now() < deadline, "the kill never showed");
        std::thread::sleep(Duration::from_millis(50));
    }
}
