//! Retained automated backups: `DeleteDBInstance` with `DeleteAutomatedBackups=false` keeps an
//! instance's automated backups once its delete finishes; `DescribeDBInstanceAutomatedBackups`
//! lists live instances' (`active`, `creating`) and retained ones; a point-in-time restore and a
//! snapshot restore read a retained one; `DeleteDBInstanceAutomatedBackup` removes only a
//! retained one, through its snapshots' delete jobs. No worker runs here: the schedule's tick
//! and the delete's finish are called as the worker would, and the window is written in SQL.

use crate::common::*;
use crate::pitr::set_window;
use crate::snapshots::{jobs, rds, settle};
use chrono::{TimeZone, Utc};
use cornac_domain::{ProviderKind, ResourceId, SnapshotStatus};
use cornac_inventory::{instances, retained, snapshots};
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_jobs::JobKind;

fn row(s: &Setup, name: &str) -> instances::DbInstance {
    instances::find(&mut s.state.inventory.get().unwrap(), name)
        .unwrap()
        .unwrap()
}

/// The schedule's tick at noon (no window then: only first backups), its snapshots settled.
fn first_backups(s: &Setup) {
    let noon = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    cornac_jobs::automated::tick(
        &mut s.state.inventory.get().unwrap(),
        ProviderKind::Local,
        noon,
    )
    .unwrap();
    settle(s);
}

/// The worker's end of `name`'s delete.
fn finish_delete(s: &Setup, name: &str) {
    let id = row(s, name).id;
    let mut conn = s.state.inventory.get().unwrap();
    let done = Operation::Finish(JobKind::Delete);
    lifecycle::apply(&mut conn, id, done, Extra::default()).unwrap();
}

fn statuses(body: &str) -> Vec<&str> {
    body.split("<Status>")
        .skip(1)
        .filter_map(|rest| rest.split("</Status>").next())
        .collect()
}

#[actix_web::test]
async fn a_delete_that_keeps_them_leaves_a_retained_backup_to_describe_restore_and_delete() {
    let s = setup(40);
    let app = app!(s);
    for (name, days) in [("keep", "2"), ("drop", "1"), ("off", "0")] {
        call!(
            app,
            s,
            &create_params(name, &[("BackupRetentionPeriod", days)])
        );
    }
    settle(&s);
    first_backups(&s);
    call!(
        app,
        s,
        &create_params("fresh", &[("BackupRetentionPeriod", "1")])
    );
    settle(&s);
    set_window(&s, "keep", "2026-12-01T12:00:01Z", "2026-12-01T13:00:00Z");
    let keep = row(&s, "keep");
    let arn = ResourceId::parse(&keep.resource_id)
        .unwrap()
        .automated_backups_arn("local", "000000000000");

    // Live instances' automated backups: active once one is available, creating before.
    let describe = "DescribeDBInstanceAutomatedBackups";
    let (status, body) = rds!(app, s, describe, []);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body.matches("<DBInstanceAutomatedBackup>").count(),
        3,
        "{body}"
    );
    assert!(!body.contains("<DBInstanceIdentifier>off<"), "{body}");
    let (_, body) = rds!(app, s, describe, [("DBInstanceIdentifier", "fresh")]);
    assert_eq!(statuses(&body), ["creating"], "{body}");
    let (_, body) = rds!(app, s, describe, [("DBInstanceIdentifier", "keep")]);
    assert_eq!(statuses(&body), ["active"], "{body}");
    assert!(
        body.contains(&format!("<DBInstanceAutomatedBackupsArn>{arn}<")),
        "{body}"
    );
    assert!(
        body.contains(
            "<RestoreWindow><EarliestTime>2026-12-01T12:00:01.000Z</EarliestTime>\
             <LatestTime>2026-12-01T13:00:00.000Z</LatestTime></RestoreWindow>"
        ),
        "{body}"
    );

    // Deleting with DeleteAutomatedBackups=false marks the row; its finish keeps the backups.
    let skip = ("SkipFinalSnapshot", "true");
    let (status, body) = rds!(
        app,
        s,
        "DeleteDBInstance",
        [
            ("DBInstanceIdentifier", "keep"),
            skip,
            ("DeleteAutomatedBackups", "false")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(row(&s, "keep").retain_automated_backups);
    rds!(
        app,
        s,
        "DeleteDBInstance",
        [("DBInstanceIdentifier", "drop"), skip]
    );
    let drop = row(&s, "drop");
    assert!(!drop.retain_automated_backups);
    finish_delete(&s, "keep");
    finish_delete(&s, "drop");
    let kept = retained::find(&mut s.state.inventory.get().unwrap(), &keep.resource_id)
        .unwrap()
        .unwrap();
    assert_eq!(kept.backup_retention_period, 2);
    assert!(
        retained::find(&mut s.state.inventory.get().unwrap(), &drop.resource_id)
            .unwrap()
            .is_none(),
        "the default lets them go"
    );
    let (_, events) = rds!(app, s, "DescribeEvents", [("SourceIdentifier", "keep")]);
    assert!(events.contains("Automated backups retained"), "{events}");

    // Listed as retained, by name, ARN, resource id or filter, with the instance as it was.
    let by_resource = ("DbiResourceId", keep.resource_id.as_str());
    let by_arn = ("DBInstanceAutomatedBackupsArn", arn.as_str());
    for pairs in [
        vec![by_resource],
        vec![by_arn],
        vec![("DBInstanceIdentifier", "keep")],
        vec![
            ("Filters.Filter.1.Name", "status"),
            ("Filters.Filter.1.Values.Value.1", "retained"),
        ],
    ] {
        let mut all = vec![("Action", describe), V];
        all.extend(pairs.iter().copied());
        let (status, body) = call!(app, s, &all);
        assert_eq!(status, 200, "{pairs:?}: {body}");
        assert_eq!(statuses(&body), ["retained"], "{pairs:?}: {body}");
        for part in [
            "<DBInstanceIdentifier>keep</DBInstanceIdentifier>",
            "<MasterUsername>alice</MasterUsername>",
            "<BackupRetentionPeriod>2</BackupRetentionPeriod>",
            "<EarliestTime>2026-12-01T12:00:01.000Z</EarliestTime>",
            &format!("<DbiResourceId>{}</DbiResourceId>", keep.resource_id),
            &format!("<DBInstanceArn>{}</DBInstanceArn>", keep.arn),
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
    }
    let (status, body) = rds!(
        app,
        s,
        describe,
        [("DbiResourceId", "db-GHOSTGHOSTGHOSTGHOSTGHOST1")]
    );
    assert_eq!(
        (status, code(&body)),
        (404, "DBInstanceAutomatedBackupNotFound"),
        "{body}"
    );

    // Restorable from: a point in time (by resource id or by ARN), or its rds: snapshot.
    let pitr = "RestoreDBInstanceToPointInTime";
    let target = |n: &'static str| ("TargetDBInstanceIdentifier", n);
    let (status, body) = rds!(
        app,
        s,
        pitr,
        [
            ("SourceDbiResourceId", keep.resource_id.as_str()),
            target("back"),
            ("RestoreTime", "2026-12-01T12:30:00Z")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<BackupRetentionPeriod>2</BackupRetentionPeriod>"),
        "{body}"
    );
    let back = row(&s, "back");
    assert_eq!(
        back.restore_resource_id.as_deref(),
        Some(keep.resource_id.as_str())
    );
    assert_eq!(back.master_password_verifier, keep.master_password_verifier);
    let (status, body) = rds!(
        app,
        s,
        pitr,
        [
            ("SourceDBInstanceAutomatedBackupsArn", arn.as_str()),
            target("late"),
            ("UseLatestRestorableTime", "true")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(row(&s, "late").restore_latest);
    let (status, body) = rds!(
        app,
        s,
        pitr,
        [
            by_resource_source(&keep.resource_id),
            target("x"),
            ("RestoreTime", "2026-12-01T13:00:01Z")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidRestoreFault"),
        "{body}"
    );
    let automated =
        snapshots::automated_of(&mut s.state.inventory.get().unwrap(), keep.id).unwrap();
    assert_eq!(automated.len(), 1);
    let (status, body) = rds!(
        app,
        s,
        "RestoreDBInstanceFromDBSnapshot",
        [
            ("DBSnapshotIdentifier", automated[0].identifier.as_str()),
            ("DBInstanceIdentifier", "fromsnap")
        ]
    );
    assert_eq!(status, 200, "{body}");

    // Only a retained one may be deleted, and not while an instance is restored from it.
    let delete = "DeleteDBInstanceAutomatedBackup";
    let fresh = row(&s, "fresh");
    let before = jobs(&s).len();
    let (status, body) = rds!(
        app,
        s,
        delete,
        [("DbiResourceId", fresh.resource_id.as_str())]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceAutomatedBackupState"),
        "{body}"
    );
    let (status, body) = rds!(app, s, delete, [by_arn]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceAutomatedBackupState"),
        "still restoring back and late: {body}"
    );
    assert_eq!(jobs(&s).len(), before, "a refusal queues nothing");
    settle(&s);
    let (status, body) = rds!(app, s, delete, [by_arn]);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DeleteDBInstanceAutomatedBackupResult><DBInstanceAutomatedBackup>"),
        "{body}"
    );
    assert_eq!(statuses(&body), ["deleting"], "{body}");
    // Its snapshot goes through the delete path; nothing else is touched.
    let after = snapshots::automated_of(&mut s.state.inventory.get().unwrap(), keep.id).unwrap();
    assert_eq!(
        after.iter().map(|s| s.status).collect::<Vec<_>>(),
        [SnapshotStatus::Deleting]
    );
    assert_eq!(
        jobs(&s).last().cloned(),
        Some(("delete_snapshot".to_owned(), Some(after[0].id)))
    );
    let dropped = snapshots::automated_of(&mut s.state.inventory.get().unwrap(), drop.id).unwrap();
    assert_eq!(
        dropped.iter().map(|s| s.status).collect::<Vec<_>>(),
        [SnapshotStatus::Available],
        "another deleted instance's snapshot is the schedule's to expire"
    );
    // Gone: described, deleted again or restored from, it is not found.
    let (status, body) = rds!(app, s, describe, [by_resource]);
    assert_eq!(
        (status, code(&body)),
        (404, "DBInstanceAutomatedBackupNotFound"),
        "{body}"
    );
    let (status, body) = rds!(app, s, delete, [by_resource]);
    assert_eq!(
        (status, code(&body)),
        (404, "DBInstanceAutomatedBackupNotFound"),
        "{body}"
    );
    let (status, body) = rds!(
        app,
        s,
        pitr,
        [
            ("SourceDBInstanceAutomatedBackupsArn", arn.as_str()),
            target("y"),
            ("UseLatestRestorableTime", "true")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (404, "DBInstanceAutomatedBackupNotFound"),
        "{body}"
    );
    let (status, body) = rds!(
        app,
        s,
        pitr,
        [
            by_resource_source(&keep.resource_id),
            target("y"),
            ("UseLatestRestorableTime", "true")
        ]
    );
    assert_eq!((status, code(&body)), (404, "DBInstanceNotFound"), "{body}");
}

fn by_resource_source(id: &str) -> (&'static str, &str) {
    ("SourceDbiResourceId", id)
}

#[actix_web::test]
async fn automated_backups_are_described_page_by_page() {
    let s = setup(40);
    let app = app!(s);
    for i in 0..23 {
        let name = format!("pg{i:02}");
        call!(
            app,
            s,
            &create_params(&name, &[("BackupRetentionPeriod", "1")])
        );
    }
    settle(&s);
    let describe = "DescribeDBInstanceAutomatedBackups";
    let ids = |body: &str| -> Vec<String> {
        body.split("<DbiResourceId>")
            .skip(1)
            .filter_map(|rest| rest.split("</DbiResourceId>").next())
            .map(str::to_owned)
            .collect()
    };
    let (status, first) = rds!(app, s, describe, [("MaxRecords", "20")]);
    assert_eq!(status, 200, "{first}");
    let first_ids = ids(&first);
    assert_eq!(first_ids.len(), 20, "{first}");
    let marker = first
        .split("<Marker>")
        .nth(1)
        .and_then(|rest| rest.split("</Marker>").next())
        .expect("a marker for the next page")
        .to_owned();
    assert_eq!(first_ids.last(), Some(&marker));
    let (_, second) = rds!(
        app,
        s,
        describe,
        [("MaxRecords", "20"), ("Marker", marker.as_str())]
    );
    assert!(!second.contains("<Marker>"), "{second}");
    let mut all = first_ids;
    all.extend(ids(&second));
    let mut expected: Vec<String> = (0..23)
        .map(|i| row(&s, &format!("pg{i:02}")).resource_id)
        .collect();
    expected.sort();
    assert_eq!(all, expected, "each backup once, in resource id order");
    for bad in ["19", "101"] {
        let (status, body) = rds!(app, s, describe, [("MaxRecords", bad)]);
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("MaxRecords"), "{body}");
    }
}
