//! CreateDBSnapshot and DeleteDBSnapshot, a final snapshot on delete and a
//! snapshot on stop: what each records (statuses, events, jobs) and every refusal. No worker
//! runs here: a job's end is played by hand in SQL, as the worker's finish would leave it.

use crate::common::*;
use cornac_domain::{InstanceStatus, SnapshotStatus};
use cornac_inventory::{instances, snapshots};
use diesel::prelude::*;

/// `(status, body)` of the RDS action `$action` with `$pairs`.
macro_rules! rds {
    ($app:expr, $s:expr, $action:expr, [$($pair:expr),* $(,)?]) => {{
        let pairs: Vec<(&str, &str)> = vec![("Action", $action), V, $($pair),*];
        call!($app, $s, &pairs)
    }};
}
pub(crate) use rds;

/// Settle every instance and snapshot as a finished worker would.
pub fn settle(s: &Setup) {
    let mut conn = s.state.inventory.get().unwrap();
    diesel::sql_query(
        "UPDATE db_instances SET status = 'available' WHERE status IN ('creating', 'backing-up')",
    )
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(
        "UPDATE db_snapshots SET status = 'available', percent_progress = 100 \
         WHERE status = 'creating'",
    )
    .execute(&mut conn)
    .unwrap();
}

/// The kinds and snapshot ids of the queued jobs, oldest first.
pub fn jobs(s: &Setup) -> Vec<(String, Option<i64>)> {
    use cornac_inventory::schema::jobs;
    let mut conn = s.state.inventory.get().unwrap();
    jobs::table
        .order(jobs::id.asc())
        .select((jobs::kind, jobs::snapshot_id))
        .load(&mut conn)
        .unwrap()
}

pub fn snapshot(s: &Setup, name: &str) -> Option<snapshots::DbSnapshot> {
    snapshots::find(&mut s.state.inventory.get().unwrap(), name).unwrap()
}

fn instance_status(s: &Setup, name: &str) -> InstanceStatus {
    instances::find(&mut s.state.inventory.get().unwrap(), name)
        .unwrap()
        .unwrap()
        .status
}

#[actix_web::test]
async fn a_snapshot_backs_the_instance_up_in_one_transaction() {
    let s = setup(40);
    let app = app!(s);
    call!(
        app,
        s,
        &create_params(
            "sn1",
            &[("Tags.Tag.1.Key", "team"), ("CopyTagsToSnapshot", "true")]
        )
    );
    let snap = |name: &'static str| ("DBSnapshotIdentifier", name);
    // A creating instance cannot be snapshotted; nothing is recorded.
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [snap("s1"), ("DBInstanceIdentifier", "sn1")]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceState"),
        "{body}"
    );
    assert!(snapshot(&s, "s1").is_none());
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [snap("s1"), ("DBInstanceIdentifier", "ghost")]
    );
    assert_eq!((status, code(&body)), (404, "DBInstanceNotFound"), "{body}");
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [snap("-bad"), ("DBInstanceIdentifier", "sn1")]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidParameterValue"),
        "{body}"
    );
    assert!(body.contains("DBSnapshotIdentifier"), "{body}");

    settle(&s);
    // The instance shows the CopyTagsToSnapshot it was created with.
    let (status, body) = rds!(
        app,
        s,
        "DescribeDBInstances",
        [("DBInstanceIdentifier", "sn1")]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<CopyTagsToSnapshot>true</CopyTagsToSnapshot>"),
        "{body}"
    );
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [snap("S1"), ("DBInstanceIdentifier", "sn1")]
    );
    assert_eq!(status, 200, "{body}");
    for part in [
        "<CreateDBSnapshotResult><DBSnapshot><DBSnapshotIdentifier>s1</DBSnapshotIdentifier>",
        "<DBInstanceIdentifier>sn1</DBInstanceIdentifier>",
        "<Status>creating</Status>",
        "<PercentProgress>0</PercentProgress>",
        "<SnapshotType>manual</SnapshotType>",
        "<MasterUsername>alice</MasterUsername>",
        "<DBSnapshotArn>arn:aws:rds:local:000000000000:snapshot:s1</DBSnapshotArn>",
        // CopyTagsToSnapshot: the instance's tags.
        "<TagList><Tag><Key>team</Key>",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    assert!(!body.contains("SnapshotCreateTime"), "not yet made: {body}");
    assert_eq!(instance_status(&s, "sn1"), InstanceStatus::BackingUp);
    let row = snapshot(&s, "s1").unwrap();
    assert_eq!(row.status, SnapshotStatus::Creating);
    assert_eq!(
        jobs(&s).last().unwrap(),
        &("snapshot".to_owned(), Some(row.id))
    );
    let events: Vec<String> =
        cornac_inventory::events::for_source(&mut s.state.inventory.get().unwrap(), "s1")
            .unwrap()
            .into_iter()
            .map(|e| format!("{} {}", e.source_type, e.message))
            .collect();
    assert_eq!(events, ["db-snapshot Creating snapshot"]);
    let (_, body) = rds!(app, s, "DescribeEvents", [("SourceType", "db-snapshot")]);
    assert!(
        body.contains("<SourceIdentifier>s1</SourceIdentifier>")
            && body.contains("<SourceType>db-snapshot</SourceType>")
            && !body.contains("sn1"),
        "snapshot events only: {body}"
    );
    let (_, body) = rds!(app, s, "DescribeEvents", []);
    assert!(
        body.contains("Backing up DB instance") && !body.contains("Creating snapshot"),
        "instance events by default: {body}"
    );

    // While it backs up: no second snapshot, no stop, and the snapshot cannot be deleted.
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [snap("s2"), ("DBInstanceIdentifier", "sn1")]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceState"),
        "{body}"
    );
    let (status, body) = rds!(app, s, "StopDBInstance", [("DBInstanceIdentifier", "sn1")]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceState"),
        "{body}"
    );
    let (status, body) = rds!(app, s, "DeleteDBSnapshot", [snap("s1")]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBSnapshotState"),
        "{body}"
    );

    settle(&s);
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [snap("s1"), ("DBInstanceIdentifier", "sn1")]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "DBSnapshotAlreadyExists"),
        "{body}"
    );
    assert_eq!(
        instance_status(&s, "sn1"),
        InstanceStatus::Available,
        "a refusal changes nothing"
    );

    // Delete: deleting, with its job; then refused again.
    let (status, body) = rds!(app, s, "DeleteDBSnapshot", [snap("S1")]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<Status>deleting</Status>"), "{body}");
    assert_eq!(
        jobs(&s).last().unwrap(),
        &("delete_snapshot".to_owned(), Some(row.id))
    );
    let (status, body) = rds!(app, s, "DeleteDBSnapshot", [snap("s1")]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBSnapshotState"),
        "{body}"
    );
    let (status, body) = rds!(app, s, "DeleteDBSnapshot", [snap("ghost")]);
    assert_eq!((status, code(&body)), (404, "DBSnapshotNotFound"), "{body}");
}

#[actix_web::test]
async fn final_snapshots_and_snapshots_on_stop_go_with_their_job() {
    let s = setup(40);
    let app = app!(s);
    call!(app, s, &create_params("fin", &[]));
    call!(app, s, &create_params("stp", &[]));
    settle(&s);
    let (status, body) = rds!(
        app,
        s,
        "DeleteDBInstance",
        [
            ("DBInstanceIdentifier", "fin"),
            ("FinalDBSnapshotIdentifier", "fin-last")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DBInstanceStatus>deleting</DBInstanceStatus>"),
        "{body}"
    );
    let last = snapshot(&s, "fin-last").unwrap();
    assert_eq!(last.status, SnapshotStatus::Creating);
    assert_eq!(
        jobs(&s).last().unwrap(),
        &("delete".to_owned(), Some(last.id))
    );

    // A name taken refuses the stop, and changes nothing.
    let (status, body) = rds!(
        app,
        s,
        "StopDBInstance",
        [
            ("DBInstanceIdentifier", "stp"),
            ("DBSnapshotIdentifier", "fin-last")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "DBSnapshotAlreadyExists"),
        "{body}"
    );
    assert_eq!(instance_status(&s, "stp"), InstanceStatus::Available);
    let (status, body) = rds!(
        app,
        s,
        "StopDBInstance",
        [
            ("DBInstanceIdentifier", "stp"),
            ("DBSnapshotIdentifier", "stp-1")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DBInstanceStatus>stopping</DBInstanceStatus>"),
        "{body}"
    );
    let taken = snapshot(&s, "stp-1").unwrap();
    assert_eq!(
        jobs(&s).last().unwrap(),
        &("stop".to_owned(), Some(taken.id))
    );

    // The quota (3 in these tests) counts manual snapshots, the final ones too.
    settle(&s);
    diesel::sql_query("UPDATE db_instances SET status = 'available' WHERE identifier = 'stp'")
        .execute(&mut s.state.inventory.get().unwrap())
        .unwrap();
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [
            ("DBSnapshotIdentifier", "third"),
            ("DBInstanceIdentifier", "stp")
        ]
    );
    assert_eq!(status, 200, "{body}");
    settle(&s);
    let (status, body) = rds!(
        app,
        s,
        "CreateDBSnapshot",
        [
            ("DBSnapshotIdentifier", "fourth"),
            ("DBInstanceIdentifier", "stp")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "SnapshotQuotaExceeded"),
        "{body}"
    );
    assert_eq!(instance_status(&s, "stp"), InstanceStatus::Available);
}
