//! A restore to the latest restorable time (`UseLatestRestorableTime`), against a real inventory
//! and the real local provider (pgBackRest, WAL archiving): its create job pins the time when
//! it first runs, and after a worker dies mid-restore the retry restores to that same time,
//! without what was written and archived after it. The source's first automated snapshot is
//! taken before, so that none runs beside the restore.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{available, new_instance, psql, rows, runtime, setup, spawn, stop_all, Setup};
use cornac_domain::{
    BackupKey, InstanceStatus, Provider, ProviderKind, ResourceId, RestorePoint, RestoreSource,
};
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::schema::jobs;
use cornac_inventory::JobState;
use cornac_jobs::lifecycle;
use diesel::prelude::*;
use std::time::{Duration, Instant};

/// Every WAL segment of the source written so far archived (a segment switch forced, as the
/// superuser through its socket).
fn archive_all(s: &Setup, rid: &ResourceId, port: i32) {
    let socket = s.state.path().join("instances").join(rid.slug());
    let port = u16::try_from(port).unwrap();
    let out = cornac_test_support::as_superuser(&socket, port, "SELECT pg_switch_wal()");
    assert!(out.status.success(), "{out:?}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = cornac_test_support::as_superuser(
            &socket,
            port,
            "SELECT last_archived_wal >= pg_walfile_name(pg_current_wal_lsn()) \
             FROM pg_stat_archiver",
        );
        if String::from_utf8_lossy(&out.stdout).trim() == "t" {
            return;
        }
        assert!(Instant::now() < deadline, "never archived: {out:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The schedule's first automated snapshot of the instance `id` taken (by a worker's first
/// tick), so that none runs beside the restore later.
fn first_automated_snapshot(s: &Setup, provider: &std::sync::Arc<common::Flaky>, id: i64) {
    let rt = runtime();
    let worker = spawn(&rt, s.worker(provider.clone(), "scheduler"));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done: i64 = jobs::table
            .filter(jobs::instance_id.eq(id))
            .filter(jobs::kind.eq("snapshot"))
            .filter(jobs::state.eq(JobState::Done))
            .count()
            .get_result(&mut s.conn())
            .unwrap();
        if done > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no automated snapshot");
        std::thread::sleep(Duration::from_millis(100));
    }
    s.settle(id, InstanceStatus::Available);
    stop_all(&rt, vec![worker]);
}

fn row(s: &Setup, id: i64) -> DbInstance {
    instances::get(&mut s.conn(), id).unwrap().unwrap()
}

#[test]
fn a_retried_restore_to_the_latest_time_restores_the_time_it_first_pinned() {
    let s = setup();
    // Backups on (retention 1): archiving on, then a base backup; rows 1 and 2 archived.
    let (id, rid) = available(&s, "src");
    let port = row(&s, id).endpoint_port.unwrap();
    psql(
        port,
        "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)",
    );
    let provider = s.provider(0, false);
    first_automated_snapshot(&s, &provider, id);
    provider.backup(&rid, &BackupKey::generate()).unwrap();
    archive_all(&s, &rid, port);
    // The window's ends are whole seconds rounded up: let them pass.
    std::thread::sleep(Duration::from_millis(1100));

    let new = new_instance("dst");
    let source = RestoreSource {
        instance: rid.clone(),
        point: RestorePoint::Latest,
    };
    let arn = new.identifier.arn("local", "000000000000");
    let restored = lifecycle::restore_to_point(
        &mut s.conn(),
        &new,
        cornac_inventory::accounts::DEFAULT,
        &arn,
        ProviderKind::Local,
        &source,
        "src at its latest restorable time",
    )
    .unwrap();
    assert!(restored.restore_latest && restored.restore_time.is_none());

    // Worker "a" pins the time, then is stuck in the provider's restore when it is killed.
    let doomed = runtime();
    let (_stop_a, _a) = spawn(&doomed, s.worker(s.slow(Duration::from_secs(120)), "a"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let pinned = loop {
        if let Some(time) = row(&s, restored.id).restore_time {
            break time;
        }
        assert!(Instant::now() < deadline, "the restore was never pinned");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        !row(&s, restored.id).restore_latest,
        "a time now, not the latest"
    );
    doomed.shutdown_background();

    // Row 3 comes after the pinned time, and is archived before the retry.
    std::thread::sleep(Duration::from_millis(50));
    psql(port, "INSERT INTO t VALUES (3)");
    archive_all(&s, &rid, port);
    let window = provider.restorable_window(&rid).unwrap().unwrap();
    assert!(window.latest > pinned, "{window:?} pinned {pinned}");

    let rt = runtime();
    let heir = spawn(&rt, s.worker(provider.clone(), "heir"));
    let done = s.settle(restored.id, InstanceStatus::Available);
    let attempts: Vec<(JobState, i32)> = jobs::table
        .filter(jobs::instance_id.eq(restored.id))
        .select((jobs::state, jobs::attempts))
        .load(&mut s.conn())
        .unwrap();
    assert_eq!(
        attempts,
        vec![(JobState::Done, 2)],
        "taken over, on a retry"
    );
    assert_eq!(done.restore_time, Some(pinned), "pinned once");
    assert_eq!(
        rows(done.endpoint_port.unwrap()),
        [1, 2],
        "the retry restores the time first pinned, not the latest then"
    );
    assert_eq!(rows(port), [1, 2, 3]);
    stop_all(&rt, vec![heir]);
}
