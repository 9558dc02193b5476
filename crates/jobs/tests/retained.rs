//! Retained automated backups against a real inventory, with the schedule's injected clock: a
//! delete that keeps them leaves a retained backup once it finishes; its automated snapshots
//! then expire one by one, each once past the retention counted from its own time (no base
//! kept: no new backup comes), and the retained backup goes a tick after its last; a delete
//! without it, or of an instance with no available automated backup, keeps nothing; deleting a
//! retained backup expires its snapshots (each with its delete job) and touches no other; a
//! restore being made from a retained backup keeps its snapshots past their retention.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::{available, setup, Setup};
use cornac_domain::{ProviderKind, SnapshotStatus};
use cornac_inventory::instances::{self, Changes};
use cornac_inventory::schema::{db_instances, jobs};
use cornac_inventory::snapshots::{self, DbSnapshot};
use cornac_inventory::{retained, PgConnection};
use cornac_jobs::automated::{tick, Report};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_jobs::JobKind;
use diesel::prelude::*;

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, day, hour, minute, 0).unwrap()
}

fn run(conn: &mut PgConnection, now: DateTime<Utc>) -> Report {
    tick(conn, ProviderKind::Local, now).unwrap()
}

/// Available instances, then keeping `days` of backups (each without any while the next is
/// made, so that maker's own schedule takes none of it).
fn instances_keeping(s: &Setup, names: &[&str], days: i32) -> Vec<i64> {
    let keep = |ids: &[i64], days: i32| {
        diesel::update(db_instances::table.filter(db_instances::id.eq_any(ids)))
            .set(db_instances::backup_retention_period.eq(days))
            .execute(&mut s.conn())
            .unwrap();
    };
    let ids: Vec<i64> = names
        .iter()
        .map(|n| {
            let id = available(s, n).0;
            keep(&[id], 0);
            id
        })
        .collect();
    keep(&ids, days);
    ids
}

fn automated_of(conn: &mut PgConnection, id: i64) -> Vec<DbSnapshot> {
    snapshots::automated_of(conn, id).unwrap()
}

/// The worker's end of every automated snapshot of `id` being taken (its job dropped: these
/// tests run none).
fn taken(conn: &mut PgConnection, id: i64) {
    for snapshot in automated_of(conn, id) {
        if snapshot.status == SnapshotStatus::Creating {
            let extra = Extra {
                snapshot_id: Some(snapshot.id),
                ..Extra::default()
            };
            lifecycle::apply(conn, id, Operation::AutomatedSnapshotTaken, extra).unwrap();
        }
    }
    diesel::delete(jobs::table.filter(jobs::instance_id.eq(id)))
        .execute(conn)
        .unwrap();
}

/// `DeleteDBInstance` (keeping the automated backups or not), then the worker's finish.
fn delete(conn: &mut PgConnection, id: i64, retain: bool) {
    let changes = Changes {
        retain_automated_backups: Some(retain),
        ..Changes::default()
    };
    let extra = Extra {
        changes: Some(&changes),
        ..Extra::default()
    };
    lifecycle::change(conn, id, Operation::Delete, extra).unwrap();
    let done = Operation::Finish(JobKind::Delete);
    assert!(lifecycle::apply(conn, id, done, Extra::default())
        .unwrap()
        .is_none());
}

/// The `delete_snapshot` job's end of every snapshot of `id` being deleted.
fn deleted(conn: &mut PgConnection, id: i64) {
    for snapshot in automated_of(conn, id) {
        if snapshot.status == SnapshotStatus::Deleting {
            let done = Operation::Finish(JobKind::DeleteSnapshot);
            lifecycle::apply_snapshot(conn, snapshot.id, done, None).unwrap();
        }
    }
}

fn statuses(conn: &mut PgConnection, id: i64) -> Vec<SnapshotStatus> {
    automated_of(conn, id)
        .into_iter()
        .map(|s| s.status)
        .collect()
}

#[test]
fn retained_snapshots_expire_each_past_its_retention_then_the_backup_goes() {
    let s = setup();
    let id = instances_keeping(&s, &["kept"], 2)[0];
    let mut conn = s.conn();
    let resource = instances::get(&mut conn, id).unwrap().unwrap().resource_id;
    assert_eq!(run(&mut conn, at(10, 12, 0)).taken, 1);
    taken(&mut conn, id);
    assert_eq!(
        run(&mut conn, at(11, 3, 5)).taken,
        1,
        "the next day's window"
    );
    taken(&mut conn, id);
    delete(&mut conn, id, true);
    let kept = retained::find(&mut conn, &resource).unwrap().unwrap();
    assert_eq!(
        (kept.source_instance_id, kept.backup_retention_period),
        (id, 2)
    );
    assert!(s
        .messages("kept")
        .iter()
        .any(|m| m == "Automated backups retained"));

    // Within the retention of both, nothing goes (a deleted instance's would all go at once).
    assert_eq!(run(&mut conn, at(11, 13, 0)).expired, 0);
    // Past the first's: it goes, though it is the newest past the retention (a live
    // instance's window would keep it as its base).
    assert_eq!(run(&mut conn, at(12, 12, 1)).expired, 1);
    use SnapshotStatus::{Available, Deleting};
    assert_eq!(statuses(&mut conn, id), [Available, Deleting]);
    deleted(&mut conn, id);
    assert_eq!(run(&mut conn, at(13, 3, 6)).expired, 1, "then the second");
    assert!(retained::find(&mut conn, &resource).unwrap().is_some());
    deleted(&mut conn, id);
    assert!(statuses(&mut conn, id).is_empty());
    assert_eq!(
        run(&mut conn, at(13, 3, 7)).expired,
        1,
        "the retained backup"
    );
    assert!(retained::find(&mut conn, &resource).unwrap().is_none());
    assert!(s
        .messages("kept")
        .iter()
        .any(|m| m == "Retained automated backups expired"));
    assert_eq!(run(&mut conn, at(13, 3, 8)), Report::default());
}

#[test]
fn nothing_is_retained_unless_asked_and_there_is_a_backup_to_keep() {
    let s = setup();
    let ids = instances_keeping(&s, &["plain", "early"], 2);
    let (plain, early) = (ids[0], ids[1]);
    let mut conn = s.conn();
    assert_eq!(run(&mut conn, at(10, 12, 0)).taken, 2);
    taken(&mut conn, plain);
    // Not asked: its automated snapshot goes with it, as before.
    delete(&mut conn, plain, false);
    // Asked, but its only automated snapshot never became available: nothing to restore.
    diesel::delete(jobs::table.filter(jobs::instance_id.eq(early)))
        .execute(&mut conn)
        .unwrap();
    delete(&mut conn, early, true);
    assert!(retained::all(&mut conn).unwrap().is_empty());
    assert_eq!(run(&mut conn, at(10, 12, 1)).expired, 2);
    for id in [plain, early] {
        assert_eq!(statuses(&mut conn, id), [SnapshotStatus::Deleting]);
    }
}

#[test]
fn deleting_a_retained_backup_expires_its_snapshots_and_nothing_else() {
    let s = setup();
    let ids = instances_keeping(&s, &["gone", "other"], 1);
    let (gone, other) = (ids[0], ids[1]);
    let mut conn = s.conn();
    assert_eq!(run(&mut conn, at(10, 12, 0)).taken, 2);
    taken(&mut conn, gone);
    taken(&mut conn, other);
    let resource = instances::get(&mut conn, gone)
        .unwrap()
        .unwrap()
        .resource_id;
    delete(&mut conn, gone, true);
    let kept = retained::find(&mut conn, &resource).unwrap().unwrap();
    // A live instance's automated backups are no retained one.
    assert!(matches!(
        lifecycle::apply_retained(&mut conn, kept.id + 1000, Operation::DeleteRetainedBackup),
        Err(lifecycle::Error::RetainedGone)
    ));
    // The schedule does not expire one that still holds snapshots.
    assert!(matches!(
        lifecycle::apply_retained(&mut conn, kept.id, Operation::ExpireRetainedBackup),
        Err(lifecycle::Error::Corrupt(_))
    ));
    let removed =
        lifecycle::apply_retained(&mut conn, kept.id, Operation::DeleteRetainedBackup).unwrap();
    assert_eq!(removed.dbi_resource_id, resource);
    assert!(retained::find(&mut conn, &resource).unwrap().is_none());
    let [snapshot] = &automated_of(&mut conn, gone)[..] else {
        panic!("one automated snapshot");
    };
    assert_eq!(snapshot.status, SnapshotStatus::Deleting);
    let kinds: Vec<String> = jobs::table
        .filter(jobs::snapshot_id.eq(snapshot.id))
        .select(jobs::kind)
        .load(&mut conn)
        .unwrap();
    assert_eq!(kinds, ["delete_snapshot"]);
    assert_eq!(statuses(&mut conn, other), [SnapshotStatus::Available]);
    assert!(matches!(
        lifecycle::apply_retained(&mut conn, kept.id, Operation::DeleteRetainedBackup),
        Err(lifecycle::Error::RetainedGone)
    ));
    // Refused retained operations change nothing; the others do not act on one.
    assert!(matches!(
        lifecycle::apply_retained(&mut conn, kept.id, Operation::Delete),
        Err(lifecycle::Error::Corrupt(_))
    ));
    assert!(s
        .messages("gone")
        .iter()
        .any(|m| m == "Deleting retained automated backups"));
}

#[test]
fn a_restore_being_made_from_a_retained_backup_keeps_its_snapshots() {
    let s = setup();
    let id = instances_keeping(&s, &["source"], 1)[0];
    let mut conn = s.conn();
    let resource = instances::get(&mut conn, id).unwrap().unwrap().resource_id;
    assert_eq!(run(&mut conn, at(10, 12, 0)).taken, 1);
    taken(&mut conn, id);
    delete(&mut conn, id, true);
    // A restore from it, as RestoreDBInstanceToPointInTime leaves it while the worker works.
    let reader = available(&s, "reader").0;
    diesel::update(db_instances::table.find(reader))
        .set((
            db_instances::status.eq(cornac_domain::InstanceStatus::Creating),
            db_instances::restore_resource_id.eq(&resource),
            db_instances::restore_latest.eq(true),
        ))
        .execute(&mut conn)
        .unwrap();
    let past = at(12, 12, 0);
    assert_eq!(
        run(&mut conn, past).expired,
        0,
        "nothing goes under a restore"
    );
    assert_eq!(statuses(&mut conn, id), [SnapshotStatus::Available]);
    diesel::update(db_instances::table.find(reader))
        .set(db_instances::status.eq(cornac_domain::InstanceStatus::Available))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(run(&mut conn, past).expired, 1, "the restore done, it goes");
    assert_eq!(statuses(&mut conn, id), [SnapshotStatus::Deleting]);
}
