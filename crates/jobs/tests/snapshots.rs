//! Snapshots through the worker, against a real inventory and the real local provider: a backup
//! that fails leaves its snapshot `failed` (never `available`) and its instance `available`; a
//! backup shared by a copy is removed only with its last snapshot; the reconciler resumes a
//! snapshot or a snapshot deletion left with no job; and (with the local provider's real
//! backups) a restore has exactly the rows of its snapshot, also after a worker died mid-way.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{available, psql, rows, runtime, setup, spawn, Setup};
use cornac_domain::{
    InstanceIdentifier, InstanceStatus, ResourceId, SnapshotIdentifier, SnapshotStatus,
    SnapshotType,
};
use cornac_inventory::instances;
use cornac_inventory::schema::jobs;
use cornac_inventory::snapshots::{self, DbSnapshot, NewSnapshot};
use cornac_jobs::lifecycle::{self, Extra, NewSnapshotArgs, Operation};
use cornac_jobs::reconcile::reconcile;
use diesel::prelude::*;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn args(name: &str) -> NewSnapshotArgs {
    let identifier = SnapshotIdentifier::parse_as("DBSnapshotIdentifier", name).unwrap();
    NewSnapshotArgs {
        arn: identifier.arn("local", "000000000000"),
        identifier,
        snapshot_type: SnapshotType::Manual,
        tags: Vec::new(),
        taken_at: None,
    }
}

/// `CreateDBSnapshot` of the instance `id`, as the API records it.
fn snapshot_of(s: &Setup, id: i64, name: &str) -> DbSnapshot {
    let args = args(name);
    let extra = Extra {
        new_snapshot: Some(&args),
        ..Extra::default()
    };
    let mut conn = s.conn();
    lifecycle::change(&mut conn, id, Operation::Snapshot, extra).unwrap();
    snapshots::find(&mut conn, name).unwrap().unwrap()
}

/// Wait (bounded) until the snapshot `name` leaves `status`; what it became (`None`: gone).
fn leaves(s: &Setup, name: &str, status: SnapshotStatus) -> Option<DbSnapshot> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let row = snapshots::find(&mut s.conn(), name).unwrap();
        if row.as_ref().map(|r| r.status) != Some(status) {
            return row;
        }
        assert!(Instant::now() < deadline, "{name} stayed {status}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_failed_backup_fails_the_snapshot_and_frees_the_instance() {
    let s = setup();
    let (id, _) = available(&s, "fb");
    let provider = s.provider(0, false);
    provider.backup_failures.store(1, Ordering::SeqCst);
    let taken = snapshot_of(&s, id, "fb-1");
    assert_eq!(taken.status, SnapshotStatus::Creating);
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let failed = leaves(&s, "fb-1", SnapshotStatus::Creating).unwrap();
    assert_eq!(
        failed.status,
        SnapshotStatus::Failed,
        "never a half snapshot available"
    );
    let row = s.settle(id, InstanceStatus::Available);
    assert_eq!(row.status_reason, None, "the instance itself did not fail");
    assert!(s
        .messages("fb")
        .iter()
        .any(|m| m == "DB instance backup failed: injected backup failure"));
    assert!(s
        .messages("fb-1")
        .iter()
        .any(|m| m == "Snapshot failed: injected backup failure"));
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn a_backup_shared_by_a_copy_is_removed_only_with_its_last_snapshot() {
    let s = setup();
    let (id, _) = available(&s, "sh");
    let mut conn = s.conn();
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    let identifier = SnapshotIdentifier::parse_as("DBSnapshotIdentifier", "sh-1").unwrap();
    // A finished snapshot's row (its backup is the provider's to keep or not).
    let new = NewSnapshot::of(&row, &identifier, "arn".into(), SnapshotType::Manual)
        .with_status(SnapshotStatus::Available);
    let source = snapshots::insert(&mut conn, &new, &[]).unwrap();
    let copy_name = SnapshotIdentifier::parse_as("DBSnapshotIdentifier", "sh-2").unwrap();
    let copy =
        lifecycle::copy_snapshot(&mut conn, source.id, &copy_name, "arn2".into(), &[]).unwrap();
    assert_eq!(copy.backup_key, source.backup_key);
    let provider = s.provider(0, false);
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    lifecycle::apply_snapshot(&mut conn, copy.id, Operation::DeleteSnapshot, None).unwrap();
    assert!(leaves(&s, "sh-2", SnapshotStatus::Deleting).is_none());
    assert_eq!(
        provider.backup_deletes.load(Ordering::SeqCst),
        0,
        "the source still names the backup"
    );
    lifecycle::apply_snapshot(&mut conn, source.id, Operation::DeleteSnapshot, None).unwrap();
    let after = leaves(&s, "sh-1", SnapshotStatus::Deleting);
    assert_eq!(
        provider.backup_deletes.load(Ordering::SeqCst),
        1,
        "{after:?}"
    );
    assert!(
        after.is_none(),
        "the last snapshot goes with its backup: {after:?}"
    );
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn the_reconciler_resumes_snapshots_and_deletions_left_without_a_job() {
    let s = setup();
    let (id, _) = available(&s, "rs");
    let taken = snapshot_of(&s, id, "rs-1");
    let mut conn = s.conn();
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    let gone = SnapshotIdentifier::parse_as("DBSnapshotIdentifier", "rs-old").unwrap();
    let new = NewSnapshot::of(&row, &gone, "arn".into(), SnapshotType::Manual)
        .with_status(SnapshotStatus::Available);
    let old = snapshots::insert(&mut conn, &new, &[]).unwrap();
    lifecycle::apply_snapshot(&mut conn, old.id, Operation::DeleteSnapshot, None).unwrap();
    // As an older version (or a job failed by hand) would leave them: no job at all.
    diesel::delete(jobs::table).execute(&mut conn).unwrap();
    let report = reconcile(&mut conn, s.provider(0, false).as_ref()).unwrap();
    assert_eq!(
        (report.resumed, report.snapshot_deletions_resumed),
        (1, 1),
        "{report:?}"
    );
    let mut queued: Vec<(String, i64, Option<i64>)> = jobs::table
        .order(jobs::id)
        .select((jobs::kind, jobs::instance_id, jobs::snapshot_id))
        .load(&mut conn)
        .unwrap();
    queued.sort();
    assert_eq!(
        queued,
        [
            ("delete_snapshot".to_owned(), id, Some(old.id)),
            ("snapshot".to_owned(), id, Some(taken.id)),
        ],
        "each resumed job names its snapshot"
    );
    // Resumed once: a second pass finds the jobs.
    let again = reconcile(&mut conn, s.provider(0, false).as_ref()).unwrap();
    assert_eq!((again.resumed, again.snapshot_deletions_resumed), (0, 0));
}

#[test]
fn snapshot_then_restore_has_exactly_the_first_rows() {
    let s = setup();
    let provider = s.provider(0, false);
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let (id, _) = s.requested("src");
    let port = s
        .settle(id, InstanceStatus::Available)
        .endpoint_port
        .unwrap();
    psql(
        port,
        "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)",
    );
    snapshot_of(&s, id, "src-1");
    let done = leaves(&s, "src-1", SnapshotStatus::Creating).unwrap();
    assert_eq!(
        (done.status, done.percent_progress),
        (SnapshotStatus::Available, 100)
    );
    s.settle(id, InstanceStatus::Available);
    psql(port, "INSERT INTO t VALUES (3)");

    let mut new = common::new_instance("dst");
    new.spec = done
        .restore_spec(ResourceId::generate(), None, None)
        .unwrap();
    new.identifier = InstanceIdentifier::parse("dst").unwrap();
    let arn = new.identifier.arn("local", "000000000000");
    let restored = lifecycle::restore(
        &mut s.conn(),
        &new,
        cornac_inventory::accounts::DEFAULT,
        &arn,
        cornac_domain::ProviderKind::Local,
        done.id,
    )
    .unwrap();
    let port2 = s
        .settle(restored.id, InstanceStatus::Available)
        .endpoint_port
        .unwrap();
    assert_eq!(
        rows(port2),
        [1, 2],
        "the restore has the snapshot's rows only"
    );
    assert_eq!(rows(port), [1, 2, 3]);
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}
