//! The automated backup schedule against a real inventory (and, where a backup is taken, the
//! real local provider on pgBackRest), with an injected clock: one automated snapshot right
//! after the instance is available, one a day in its window and never two for one window,
//! the instance's status untouched; expiry past the retention period keeping the window's base;
//! retention 0 and a deleted instance drop them; a tick that dies before it commits leaves no
//! row and no job.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use common::{available, runtime, setup, spawn, Setup};
use cornac_domain::{InstanceStatus, ProviderKind, SnapshotStatus, SnapshotType};
use cornac_inventory::schema::{db_instances, jobs};
use cornac_inventory::snapshots::{self, DbSnapshot};
use cornac_inventory::{instances, Connection, PgConnection};
use cornac_jobs::automated::{tick, Report};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use diesel::prelude::*;
use std::time::{Duration, Instant};

/// Noon on a day with no backup window in it (the default window is 03:00-03:30).
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 10, 12, 0, 0).unwrap()
}

fn set_retention(conn: &mut PgConnection, id: i64, days: i32) {
    diesel::update(db_instances::table.find(id))
        .set(db_instances::backup_retention_period.eq(days))
        .execute(conn)
        .unwrap();
}

/// An available instance keeping `days` of backups (made by a worker stopped as soon as it is
/// available, before that worker's schedule runs again).
fn instance(s: &Setup, name: &str, days: i32) -> i64 {
    let (id, _) = available(s, name);
    set_retention(&mut s.conn(), id, days);
    id
}

fn automated_of(conn: &mut PgConnection, id: i64) -> Vec<DbSnapshot> {
    snapshots::automated(conn)
        .unwrap()
        .into_iter()
        .filter(|s| s.source_instance_id == id)
        .collect()
}

fn run(conn: &mut PgConnection, at: DateTime<Utc>) -> Report {
    tick(conn, ProviderKind::Local, at).unwrap()
}

/// The worker's end of an automated snapshot, without a backup (the schedule's tests count
/// rows; `the_first_backup_*` takes a real one).
fn taken(conn: &mut PgConnection, instance: i64, snapshot: i64) {
    let extra = Extra {
        snapshot_id: Some(snapshot),
        ..Extra::default()
    };
    lifecycle::apply(conn, instance, Operation::AutomatedSnapshotTaken, extra).unwrap();
    // Its job is the worker's; these tests run none.
    diesel::delete(jobs::table.filter(jobs::snapshot_id.eq(snapshot)))
        .execute(conn)
        .unwrap();
}

fn jobs_of(conn: &mut PgConnection, snapshot: i64) -> Vec<String> {
    jobs::table
        .filter(jobs::snapshot_id.eq(snapshot))
        .select(jobs::kind)
        .load::<String>(conn)
        .unwrap()
}

#[test]
fn the_first_backup_follows_the_create_and_leaves_the_instance_available() {
    let s = setup();
    let id = instance(&s, "first", 1);
    let mut conn = s.conn();
    let at = Utc::now();
    assert_eq!(run(&mut conn, at).taken, 1);
    assert_eq!(
        run(&mut conn, at).taken,
        0,
        "never a second while one is taken"
    );
    let [snapshot] = &automated_of(&mut conn, id)[..] else {
        panic!("one automated snapshot");
    };
    assert_eq!(
        snapshot.identifier,
        format!("rds:first-{}", at.format("%Y-%m-%d-%H-%M"))
    );
    assert_eq!(snapshot.snapshot_type, SnapshotType::Automated);
    assert_eq!(snapshot.status, SnapshotStatus::Creating);
    assert_eq!(
        snapshot.arn,
        format!(
            "arn:aws:rds:local:000000000000:snapshot:{}",
            snapshot.identifier
        )
    );
    assert_eq!(jobs_of(&mut conn, snapshot.id), ["snapshot"]);
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert_eq!(
        row.status,
        InstanceStatus::Available,
        "no backing-up for it"
    );

    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(s.provider(0, false), "w1"));
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let row = snapshots::get(&mut conn, snapshot.id).unwrap().unwrap();
        if row.status != SnapshotStatus::Creating {
            break row;
        }
        assert!(
            Instant::now() < deadline,
            "the automated snapshot stayed creating"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    assert_eq!(done.status, SnapshotStatus::Available);
    assert_eq!(done.percent_progress, 100);
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert_eq!(row.status, InstanceStatus::Available);
    assert!(s
        .messages("first")
        .iter()
        .any(|m| m == "Automated backup finished"));
    assert_eq!(
        automated_of(&mut conn, id).len(),
        1,
        "the worker's own tick took no other"
    );
}

#[test]
fn one_a_day_in_the_window_never_two() {
    let s = setup();
    let id = instance(&s, "daily", 7);
    let mut conn = s.conn();
    assert_eq!(run(&mut conn, t0()).taken, 1);
    let first = automated_of(&mut conn, id).remove(0);
    assert_eq!(
        first.snapshot_create_time,
        t0(),
        "taken at the schedule's clock"
    );
    taken(&mut conn, id, first.id);
    // Later that day, out of the window: nothing.
    assert_eq!(run(&mut conn, t0() + TimeDelta::hours(3)).taken, 0);
    let window = Utc.with_ymd_and_hms(2027, 1, 11, 3, 5, 0).unwrap();
    assert_eq!(
        run(&mut conn, window - TimeDelta::minutes(10)).taken,
        0,
        "before the window"
    );
    assert_eq!(run(&mut conn, window).taken, 1, "in the window");
    let second = automated_of(&mut conn, id).remove(0);
    assert_eq!(second.identifier, "rds:daily-2027-01-11-03-05");
    assert_eq!(
        run(&mut conn, window + TimeDelta::minutes(1)).taken,
        0,
        "one is being taken"
    );
    taken(&mut conn, id, second.id);
    assert_eq!(
        run(&mut conn, window + TimeDelta::minutes(20)).taken,
        0,
        "one per window"
    );
    // A window the instance was busy through is skipped, the next one taken.
    diesel::update(db_instances::table.find(id))
        .set(db_instances::preferred_backup_window.eq("22:00-22:30"))
        .execute(&mut conn)
        .unwrap();
    let evening = Utc.with_ymd_and_hms(2027, 1, 11, 22, 10, 0).unwrap();
    assert_eq!(run(&mut conn, evening).taken, 1, "the new window counts");
    assert_eq!(automated_of(&mut conn, id).len(), 3);
}

#[test]
fn a_stopped_instance_or_one_without_backups_gets_none() {
    let s = setup();
    let id = instance(&s, "none", 0);
    let mut conn = s.conn();
    assert_eq!(run(&mut conn, t0()), Report::default());
    set_retention(&mut conn, id, 1);
    lifecycle::change(&mut conn, id, Operation::Stop, Extra::default()).unwrap();
    assert_eq!(run(&mut conn, t0()).taken, 0, "stopping: none");
    assert!(automated_of(&mut conn, id).is_empty());
}

#[test]
fn old_ones_expire_but_the_base_of_the_window_stays() {
    let s = setup();
    let id = instance(&s, "exp", 1);
    let mut conn = s.conn();
    let days: Vec<DateTime<Utc>> = (0..3)
        .map(|d| Utc.with_ymd_and_hms(2027, 1, 10 + d, 3, 5, 0).unwrap())
        .collect();
    for at in &days {
        assert_eq!(run(&mut conn, *at).taken, 1, "{at}");
        let newest = automated_of(&mut conn, id).remove(0);
        taken(&mut conn, id, newest.id);
    }
    // On the third day's window, the retention period began a day ago: the first day's
    // snapshot is past it and not the newest such, so it goes; the second day's stays as the
    // base the point-in-time window restores from.
    let report = run(&mut conn, days[2] + TimeDelta::minutes(1));
    assert_eq!(
        report,
        Report {
            taken: 0,
            expired: 1
        }
    );
    let by_day: Vec<(String, SnapshotStatus)> = automated_of(&mut conn, id)
        .into_iter()
        .map(|s| (s.identifier, s.status))
        .collect();
    assert_eq!(
        by_day,
        [
            (
                "rds:exp-2027-01-12-03-05".to_owned(),
                SnapshotStatus::Available
            ),
            (
                "rds:exp-2027-01-11-03-05".to_owned(),
                SnapshotStatus::Available
            ),
            (
                "rds:exp-2027-01-10-03-05".to_owned(),
                SnapshotStatus::Deleting
            ),
        ]
    );
    let gone = snapshots::find(&mut conn, "rds:exp-2027-01-10-03-05")
        .unwrap()
        .unwrap();
    assert_eq!(
        jobs_of(&mut conn, gone.id),
        ["delete_snapshot"],
        "removed by the worker"
    );
    assert_eq!(
        run(&mut conn, days[2] + TimeDelta::minutes(2)).expired,
        0,
        "once"
    );
}

#[test]
fn retention_zero_or_a_deleted_instance_drops_them_and_manual_ones_stay() {
    let s = setup();
    // The first keeps no backups while the second is made: that worker would otherwise take
    // the first's automated snapshot on its own tick.
    let kept = instance(&s, "off", 0);
    let gone = instance(&s, "gone", 0);
    let mut conn = s.conn();
    set_retention(&mut conn, kept, 3);
    set_retention(&mut conn, gone, 3);
    assert_eq!(run(&mut conn, t0()).taken, 2);
    for id in [kept, gone] {
        let snapshot = automated_of(&mut conn, id).remove(0);
        taken(&mut conn, id, snapshot.id);
    }
    set_retention(&mut conn, kept, 0);
    lifecycle::change(&mut conn, gone, Operation::Delete, Extra::default()).unwrap();
    let report = run(&mut conn, t0() + TimeDelta::minutes(1));
    assert_eq!(
        report.expired, 1,
        "retention 0: dropped; the one being deleted waits"
    );
    lifecycle::apply(
        &mut conn,
        gone,
        Operation::Finish(cornac_jobs::JobKind::Delete),
        Extra::default(),
    )
    .unwrap();
    assert_eq!(
        run(&mut conn, t0() + TimeDelta::minutes(2)).expired,
        1,
        "its instance is gone"
    );
    for id in [kept, gone] {
        let statuses: Vec<SnapshotStatus> = automated_of(&mut conn, id)
            .into_iter()
            .map(|s| s.status)
            .collect();
        assert_eq!(statuses, [SnapshotStatus::Deleting]);
    }
    // A manual snapshot never expires.
    let manual = snapshots::find(&mut conn, "rds:off-2027-01-10-12-00")
        .unwrap()
        .unwrap();
    diesel::update(cornac_inventory::schema::db_snapshots::table.find(manual.id))
        .set((
            cornac_inventory::schema::db_snapshots::snapshot_type.eq(SnapshotType::Manual),
            cornac_inventory::schema::db_snapshots::status.eq(SnapshotStatus::Available),
        ))
        .execute(&mut conn)
        .unwrap();
    let refused = lifecycle::apply_snapshot(&mut conn, manual.id, Operation::ExpireSnapshot, None);
    assert!(
        matches!(refused, Err(lifecycle::Error::SnapshotRefused { .. })),
        "{refused:?}"
    );
}

#[test]
fn a_tick_that_dies_before_its_commit_leaves_nothing_and_the_next_takes_it() {
    let s = setup();
    let id = instance(&s, "crash", 1);
    let mut conn = s.conn();
    // The schedule's row and job are one transaction: rolled back (a crash before the commit),
    // neither is left.
    let _ = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        assert_eq!(run(conn, t0()).taken, 1);
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(automated_of(&mut conn, id).is_empty());
    let pending: i64 = jobs::table
        .filter(jobs::snapshot_id.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(pending, 0, "no job without its row");
    assert_eq!(run(&mut conn, t0()).taken, 1, "the next tick takes it");
    // An automated snapshot left creating with no job (its instance gone) is not stuck.
    let snapshot = automated_of(&mut conn, id).remove(0);
    diesel::delete(jobs::table.filter(jobs::snapshot_id.eq(snapshot.id)))
        .execute(&mut conn)
        .unwrap();
    lifecycle::change(&mut conn, id, Operation::Delete, Extra::default()).unwrap();
    lifecycle::apply(
        &mut conn,
        id,
        Operation::Finish(cornac_jobs::JobKind::Delete),
        Extra::default(),
    )
    .unwrap();
    assert_eq!(run(&mut conn, t0()).expired, 1);
}
