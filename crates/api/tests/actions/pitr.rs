//! Backups that follow `BackupRetentionPeriod` and point-in-time restore: a modify that turns
//! backups on or off is the worker's (`modifying`, a `modify` job), one that keeps them on or
//! off is not; `LatestRestorableTime` is the inventory's window, shown only when there is one.
//! No worker runs here: the window the worker's refresh would write is written in SQL.

use crate::common::*;
use crate::snapshots::{jobs, rds, settle};
use diesel::prelude::*;

/// Write the restorable window of `name` as the worker's refresh would.
pub fn set_window(s: &Setup, name: &str, earliest: &str, latest: &str) {
    diesel::sql_query(
        "UPDATE db_instances SET earliest_restorable_time = $1::timestamptz, \
         latest_restorable_time = $2::timestamptz WHERE identifier = $3",
    )
    .bind::<diesel::sql_types::Text, _>(earliest)
    .bind::<diesel::sql_types::Text, _>(latest)
    .bind::<diesel::sql_types::Text, _>(name)
    .execute(&mut s.state.inventory.get().unwrap())
    .unwrap();
}

#[actix_web::test]
async fn turning_backups_on_or_off_is_a_modify_job_and_the_window_is_described() {
    let s = setup(40);
    let app = app!(s);
    call!(app, s, &create_params("pt1", &[]));
    settle(&s);
    let id = ("DBInstanceIdentifier", "pt1");
    let days = |d: &'static str| ("BackupRetentionPeriod", d);
    // 1 → 7: backups stay on, nothing for the worker.
    let (status, body) = rds!(app, s, "ModifyDBInstance", [id, days("7")]);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DBInstanceStatus>available</DBInstanceStatus>"),
        "{body}"
    );
    assert_eq!(jobs(&s).len(), 1, "only the create's job");
    // 7 → 0: the worker turns archiving off.
    let (status, body) = rds!(app, s, "ModifyDBInstance", [id, days("0")]);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DBInstanceStatus>modifying</DBInstanceStatus>"),
        "{body}"
    );
    assert!(
        body.contains("<BackupRetentionPeriod>0</BackupRetentionPeriod>"),
        "{body}"
    );
    assert_eq!(jobs(&s).last().map(|j| j.0.as_str()), Some("modify"));
    // While it does, another change is refused.
    let (status, body) = rds!(app, s, "ModifyDBInstance", [id, days("1")]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceState"),
        "{body}"
    );
    diesel::sql_query("UPDATE db_instances SET status = 'available'")
        .execute(&mut s.state.inventory.get().unwrap())
        .unwrap();
    // 0 → 1: on again, by the worker.
    let (_, body) = rds!(app, s, "ModifyDBInstance", [id, days("1")]);
    assert!(
        body.contains("<DBInstanceStatus>modifying</DBInstanceStatus>"),
        "{body}"
    );
    assert_eq!(jobs(&s).len(), 3);

    let (_, body) = rds!(app, s, "DescribeDBInstances", [id]);
    assert!(
        !body.contains("LatestRestorableTime"),
        "no window yet: {body}"
    );
    set_window(
        &s,
        "pt1",
        "2026-12-01T10:00:00Z",
        "2026-12-01T11:30:05.250Z",
    );
    let (_, body) = rds!(app, s, "DescribeDBInstances", [id]);
    assert!(
        body.contains("<LatestRestorableTime>2026-12-01T11:30:05.250Z</LatestRestorableTime>"),
        "{body}"
    );
}

/// A request's parameters, and the status and code it is refused with.
type Refusal<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);

fn instance(s: &Setup, name: &str) -> Option<cornac_inventory::instances::DbInstance> {
    cornac_inventory::instances::find(&mut s.state.inventory.get().unwrap(), name).unwrap()
}

fn count(s: &Setup) -> i64 {
    cornac_inventory::instances::usage(
        &mut s.state.inventory.get().unwrap(),
        cornac_inventory::accounts::DEFAULT,
    )
    .unwrap()
    .0
}

#[actix_web::test]
async fn a_point_in_time_restore_records_its_point_and_refuses_what_aws_refuses() {
    let mut s = setup(40);
    let app = app!(s);
    call!(
        app,
        s,
        &create_params("src", &[("BackupRetentionPeriod", "4")])
    );
    call!(
        app,
        s,
        &create_params("nobackups", &[("BackupRetentionPeriod", "0")])
    );
    settle(&s);
    let from = ("SourceDBInstanceIdentifier", "src");
    let at = |t: &'static str| ("RestoreTime", t);
    let latest = ("UseLatestRestorableTime", "true");
    let target = |n: &'static str| ("TargetDBInstanceIdentifier", n);
    let action = "RestoreDBInstanceToPointInTime";

    // No backup taken yet: no window, nothing to restore to.
    let (status, body) = rds!(app, s, action, [from, target("t0"), latest]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidRestoreFault"),
        "{body}"
    );
    set_window(&s, "src", "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z");

    // A time inside the window: a new instance, `creating`, with the source's master user and
    // retention, whose create job restores that time of the source's backups.
    let (status, body) = rds!(
        app,
        s,
        action,
        [
            from,
            target("t1"),
            at("2026-12-01T10:30:00.250Z"),
            ("DBInstanceClass", "db.t3.small")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<RestoreDBInstanceToPointInTimeResult><DBInstance>"),
        "{body}"
    );
    assert!(
        body.contains("<DBInstanceStatus>creating</DBInstanceStatus>"),
        "{body}"
    );
    assert!(
        body.contains("<MasterUsername>alice</MasterUsername>"),
        "{body}"
    );
    assert!(
        body.contains("<BackupRetentionPeriod>4</BackupRetentionPeriod>"),
        "{body}"
    );
    assert!(
        body.contains("<DBInstanceClass>db.t3.small</DBInstanceClass>"),
        "{body}"
    );
    let (src, t1) = (instance(&s, "src").unwrap(), instance(&s, "t1").unwrap());
    assert_eq!(
        t1.restore_resource_id.as_deref(),
        Some(src.resource_id.as_str())
    );
    assert_eq!(
        t1.restore_time.map(|t| t.to_rfc3339()),
        Some("2026-12-01T10:30:00.250+00:00".into())
    );
    assert!(t1.restore_backup_key.is_none() && !t1.restore_latest);
    assert_eq!(t1.master_password_verifier, src.master_password_verifier);
    assert_eq!(t1.engine_version, src.engine_version);
    assert_ne!(t1.resource_id, src.resource_id);
    assert_eq!(jobs(&s).last().map(|j| j.0.as_str()), Some("create"));
    let (_, events) = rds!(
        app,
        s,
        "DescribeEvents",
        [("SourceIdentifier", "t1"), ("SourceType", "db-instance")]
    );
    assert!(
        events.contains("restored to a point in time of src at 2026-12-01T10:30:00.250Z"),
        "{events}"
    );
    // The window's own ends are restorable.
    let (status, body) = rds!(
        app,
        s,
        action,
        [from, target("t2"), at("2026-12-01T11:00:00Z")]
    );
    assert_eq!(status, 200, "{body}");

    // The latest time, by resource id, with a retention of its own.
    let resource = src.resource_id.clone();
    let by_resource = ("SourceDbiResourceId", resource.as_str());
    let (status, body) = rds!(
        app,
        s,
        action,
        [
            by_resource,
            target("t3"),
            latest,
            ("BackupRetentionPeriod", "0")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<BackupRetentionPeriod>0</BackupRetentionPeriod>"),
        "{body}"
    );
    let t3 = instance(&s, "t3").unwrap();
    assert!(t3.restore_latest && t3.restore_time.is_none() && t3.restore_backup_key.is_none());

    // Every refusal records nothing.
    let before = count(&s);
    let refusals: Vec<Refusal> = vec![
        (
            vec![from, target("x"), at("2026-12-01T09:59:59.999Z")],
            400,
            "InvalidRestoreFault",
        ),
        (
            vec![from, target("x"), at("2026-12-01T11:00:00.001Z")],
            400,
            "InvalidRestoreFault",
        ),
        (
            vec![("SourceDBInstanceIdentifier", "ghost"), target("x"), latest],
            404,
            "DBInstanceNotFound",
        ),
        (
            vec![
                ("SourceDbiResourceId", "db-GHOSTGHOSTGHOSTGHOSTGHOST1"),
                target("x"),
                latest,
            ],
            404,
            "DBInstanceNotFound",
        ),
        (
            vec![from, target("t1"), latest],
            400,
            "DBInstanceAlreadyExists",
        ),
        (
            vec![
                ("SourceDBInstanceIdentifier", "nobackups"),
                target("x"),
                latest,
            ],
            400,
            "PointInTimeRestoreNotEnabled",
        ),
        (
            vec![from, by_resource, target("x"), latest],
            400,
            "InvalidParameterCombination",
        ),
        (vec![from, target("x")], 400, "InvalidParameterCombination"),
        (
            vec![from, target("x"), latest, at("2026-12-01T10:30:00Z")],
            400,
            "InvalidParameterCombination",
        ),
        (
            vec![
                from,
                target("x"),
                latest,
                ("DBParameterGroupName", "default.postgres9"),
            ],
            404,
            "DBParameterGroupNotFound",
        ),
        (
            vec![from, target("x"), latest, ("Port", "80")],
            400,
            "InvalidParameterValue",
        ),
        (
            vec![from, target("x"), latest, ("RestoreTime", "soon")],
            400,
            "InvalidParameterValue",
        ),
    ];
    for (pairs, status, expected) in refusals {
        let mut all = vec![("Action", action), V];
        all.extend(pairs.iter().copied());
        let (got, body) = call!(app, s, &all);
        assert_eq!((got, code(&body)), (status, expected), "{pairs:?}: {body}");
    }
    assert_eq!(count(&s), before);

    // A provider that cannot restore to a point in time refuses it, whatever the retention.
    s.state.point_in_time = false;
    let app = app!(s);
    let (status, body) = rds!(app, s, action, [from, target("x"), latest]);
    assert_eq!(
        (status, code(&body)),
        (400, "PointInTimeRestoreNotEnabled"),
        "{body}"
    );
    assert!(body.contains("cannot restore to a point in time"), "{body}");
    assert_eq!(count(&s), before);
}
