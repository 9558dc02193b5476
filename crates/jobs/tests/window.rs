//! Backups that follow `BackupRetentionPeriod`, against a real inventory and the real local
//! provider (pgBackRest): a create with retention turns WAL archiving on, a modify to 0 and back
//! turns it off and on again through the `modify` job; the window refresh writes the restorable
//! window into the inventory, clears it when backups go off, and does nothing while another
//! worker holds its lock.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{new_instance, runtime, setup, spawn, stop_all};
use cornac_domain::{BackupKey, InstanceStatus, Provider};
use cornac_inventory::instances::{self, Changes};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_jobs::window::{refresh, Report};
use diesel::prelude::*;

fn modify_retention(conn: &mut PgConnection, id: i64, days: i32, operation: Operation) {
    let changes = Changes {
        backup_retention_period: Some(days),
        ..Changes::default()
    };
    let extra = Extra {
        changes: Some(&changes),
        ..Extra::default()
    };
    lifecycle::change(conn, id, operation, extra).unwrap();
}

#[test]
fn archiving_follows_the_retention_through_create_and_modify() {
    let s = setup();
    let provider = s.provider(0, false);
    let rt = runtime();
    let worker = spawn(&rt, s.worker(provider.clone(), "w1"));
    let (with, _) = s.requested("pitr-on");
    let mut off = new_instance("pitr-off");
    off.backup_retention_days = 0;
    let (without, _) = s.requested_with(off);
    s.settle(with, InstanceStatus::Available);
    s.settle(without, InstanceStatus::Available);
    assert_eq!(
        *provider.archiving.lock().unwrap(),
        vec![true],
        "the create with backups turns archiving on; the one without leaves it off"
    );

    // 1 → 0 and 0 → 1 are each a `modify` job that turns archiving off, then on again.
    let mut conn = s.conn();
    provider.archiving.lock().unwrap().clear();
    modify_retention(&mut conn, with, 0, Operation::ModifyByWorker);
    s.settle(with, InstanceStatus::Available);
    modify_retention(&mut conn, without, 3, Operation::ModifyByWorker);
    s.settle(without, InstanceStatus::Available);
    assert_eq!(*provider.archiving.lock().unwrap(), vec![false, true]);
    assert!(s
        .messages("pitr-off")
        .iter()
        .any(|m| m == "Finished applying modification to DB instance"));
    stop_all(&rt, vec![worker]);
}

#[test]
fn the_window_refresh_writes_the_window_and_clears_it_when_backups_go_off() {
    let s = setup();
    let (id, rid) = common::available(&s, "pitr-window");
    let provider = s.provider(0, false);
    let mut conn = s.conn();

    // Archiving, but no backup yet: nothing to restore to.
    assert_eq!(
        refresh(&mut conn, provider.as_ref()).unwrap(),
        Report::default()
    );
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert!(row.restorable_window().is_none());

    provider.backup(&rid, &BackupKey::generate()).unwrap();
    let report = refresh(&mut conn, provider.as_ref()).unwrap();
    assert_eq!((report.changed, report.failed), (1, 0), "{report:?}");
    let window = instances::get(&mut conn, id)
        .unwrap()
        .unwrap()
        .restorable_window()
        .unwrap();
    let read = provider.restorable_window(&rid).unwrap().unwrap();
    assert_eq!(window.earliest, read.earliest);
    assert!(window.earliest <= window.latest && window.latest <= read.latest);

    // Another worker's refresh holds the lock: this one skips its turn and writes nothing.
    let mut other = s.conn();
    let lock = |verb: &str| format!("SELECT pg_advisory_{verb}(x'00636f726e616377'::bigint)");
    diesel::sql_query(lock("lock")).execute(&mut other).unwrap();
    modify_retention(&mut conn, id, 0, Operation::Modify);
    assert_eq!(
        refresh(&mut conn, provider.as_ref()).unwrap(),
        Report::default()
    );
    assert!(instances::get(&mut conn, id)
        .unwrap()
        .unwrap()
        .restorable_window()
        .is_some());
    diesel::sql_query(lock("unlock"))
        .execute(&mut other)
        .unwrap();

    // Backups off: the window goes, without asking the provider.
    let report = refresh(&mut conn, provider.as_ref()).unwrap();
    assert_eq!((report.cleared, report.changed), (1, 0), "{report:?}");
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert!(row.earliest_restorable_time.is_none() && row.latest_restorable_time.is_none());
}
