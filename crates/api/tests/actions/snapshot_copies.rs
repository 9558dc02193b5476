//! CopyDBSnapshot, RestoreDBInstanceFromDBSnapshot and tags on snapshots by ARN: what each
//! records, and every refusal.

use crate::common::*;
use crate::snapshots::{jobs, rds, settle, snapshot};
use cornac_domain::{InstanceStatus, SnapshotStatus};
use cornac_inventory::instances;
use diesel::RunQueryDsl;

#[actix_web::test]
async fn a_copy_shares_its_source_backup() {
    let s = setup(40);
    let app = app!(s);
    call!(app, s, &create_params("cp", &[]));
    settle(&s);
    rds!(
        app,
        s,
        "CreateDBSnapshot",
        [
            ("DBSnapshotIdentifier", "src"),
            ("DBInstanceIdentifier", "cp"),
            ("Tags.Tag.1.Key", "k")
        ]
    );
    let copy = |target: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut p = vec![
            ("SourceDBSnapshotIdentifier", "src"),
            ("TargetDBSnapshotIdentifier", target),
        ];
        p.extend(extra);
        p
    };
    let (status, body) = call!(
        app,
        s,
        &[vec![("Action", "CopyDBSnapshot"), V], copy("cp2", vec![])].concat()
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBSnapshotState"),
        "a snapshot still creating: {body}"
    );
    settle(&s);
    let (status, body) = call!(
        app,
        s,
        &[
            vec![("Action", "CopyDBSnapshot"), V],
            copy("cp2", vec![("CopyTags", "true")])
        ]
        .concat()
    );
    assert_eq!(status, 200, "{body}");
    for part in [
        "<CopyDBSnapshotResult><DBSnapshot><DBSnapshotIdentifier>cp2</DBSnapshotIdentifier>",
        "<Status>available</Status>",
        "<SourceDBSnapshotIdentifier>src</SourceDBSnapshotIdentifier>",
        "<TagList><Tag><Key>k</Key>",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    let (source, copied) = (snapshot(&s, "src").unwrap(), snapshot(&s, "cp2").unwrap());
    assert_eq!(
        source.backup_key, copied.backup_key,
        "no data is copied: one backup, two rows"
    );
    let kinds = jobs(&s);
    assert_eq!(kinds.last().unwrap().0, "snapshot", "a copy queues no job");
    // The source's tag and 50 new ones make 51: refused, and no copy is made.
    let keys: Vec<String> = (0..50).map(|i| format!("t{i}")).collect();
    let mut params = vec![
        ("Action", "CopyDBSnapshot"),
        V,
        ("SourceDBSnapshotIdentifier", "src"),
        ("TargetDBSnapshotIdentifier", "cp-many"),
        ("CopyTags", "true"),
    ];
    let names: Vec<String> = (1..=50).map(|i| format!("Tags.Tag.{i}.Key")).collect();
    params.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(keys.iter().map(String::as_str)),
    );
    let (status, body) = call!(app, s, &params);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidParameterValue"),
        "{body}"
    );
    assert!(body.contains("Tags"), "{body}");
    assert!(snapshot(&s, "cp-many").is_none());
    let (status, body) = call!(
        app,
        s,
        &[vec![("Action", "CopyDBSnapshot"), V], copy("cp2", vec![])].concat()
    );
    assert_eq!(
        (status, code(&body)),
        (400, "DBSnapshotAlreadyExists"),
        "{body}"
    );
    let (status, body) = rds!(
        app,
        s,
        "CopyDBSnapshot",
        [
            ("SourceDBSnapshotIdentifier", "ghost"),
            ("TargetDBSnapshotIdentifier", "x1")
        ]
    );
    assert_eq!((status, code(&body)), (404, "DBSnapshotNotFound"), "{body}");
    // The quota (3 here): src and cp2 make 2, one more copy is the last.
    let (status, _) = call!(
        app,
        s,
        &[vec![("Action", "CopyDBSnapshot"), V], copy("cp3", vec![])].concat()
    );
    assert_eq!(status, 200);
    let (status, body) = call!(
        app,
        s,
        &[vec![("Action", "CopyDBSnapshot"), V], copy("cp4", vec![])].concat()
    );
    assert_eq!(
        (status, code(&body)),
        (400, "SnapshotQuotaExceeded"),
        "{body}"
    );
}

#[actix_web::test]
async fn a_restore_is_a_new_instance_with_the_snapshot_data_and_master_user() {
    let s = setup(40);
    let app = app!(s);
    call!(
        app,
        s,
        &create_params("orig", &[("DBName", "shop"), ("Port", "6001")])
    );
    settle(&s);
    rds!(
        app,
        s,
        "CreateDBSnapshot",
        [
            ("DBSnapshotIdentifier", "base"),
            ("DBInstanceIdentifier", "orig")
        ]
    );
    let restore = |extra: &[(&'static str, &'static str)]| {
        let mut p = vec![
            ("Action", "RestoreDBInstanceFromDBSnapshot"),
            V,
            ("DBInstanceIdentifier", "copy1"),
            ("DBSnapshotIdentifier", "base"),
        ];
        p.extend_from_slice(extra);
        p
    };
    let (status, body) = call!(app, s, &restore(&[]));
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBSnapshotState"),
        "{body}"
    );
    settle(&s);
    let (status, body) = call!(
        app,
        s,
        &restore(&[("DBParameterGroupName", "default.postgres14")])
    );
    assert_eq!(
        (status, code(&body)),
        (404, "DBParameterGroupNotFound"),
        "not the engine's default: {body}"
    );
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "RestoreDBInstanceFromDBSnapshot"),
            V,
            ("DBInstanceIdentifier", "orig"),
            ("DBSnapshotIdentifier", "base")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "DBInstanceAlreadyExists"),
        "{body}"
    );
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "RestoreDBInstanceFromDBSnapshot"),
            V,
            ("DBInstanceIdentifier", "x2"),
            ("DBSnapshotIdentifier", "nope")
        ]
    );
    assert_eq!((status, code(&body)), (404, "DBSnapshotNotFound"), "{body}");
    // A backup another provider took cannot be restored here; nothing is recorded.
    let provider = |kind: &str| {
        let mut conn = s.state.inventory.get().unwrap();
        diesel::sql_query(format!(
            "UPDATE db_snapshots SET provider = '{kind}' WHERE identifier = 'base'"
        ))
        .execute(&mut conn)
        .unwrap();
    };
    provider("pgcluster");
    let (status, body) = call!(app, s, &restore(&[]));
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBSnapshotState"),
        "{body}"
    );
    assert!(body.contains("pgcluster provider"), "{body}");
    provider("local");
    let (status, body) = call!(
        app,
        s,
        &restore(&[
            ("DBInstanceClass", "db.t3.small"),
            ("DeletionProtection", "true"),
            ("Tags.Tag.1.Key", "restored"),
            ("DBParameterGroupName", "default.postgres15"),
        ])
    );
    assert_eq!(status, 200, "{body}");
    for part in [
        "<RestoreDBInstanceFromDBSnapshotResult><DBInstance><DBInstanceIdentifier>copy1</DBInstanceIdentifier>",
        "<DBInstanceClass>db.t3.small</DBInstanceClass>",
        "<DBInstanceStatus>creating</DBInstanceStatus>",
        "<MasterUsername>alice</MasterUsername>",
        "<DBName>shop</DBName>",
        "<DeletionProtection>true</DeletionProtection>",
        "<Key>restored</Key>",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    let mut conn = s.state.inventory.get().unwrap();
    let (orig, copy) = (
        instances::find(&mut conn, "orig").unwrap().unwrap(),
        instances::find(&mut conn, "copy1").unwrap().unwrap(),
    );
    let base = snapshot(&s, "base").unwrap();
    assert_ne!(copy.resource_id, orig.resource_id);
    assert_eq!(
        copy.master_password_verifier, orig.master_password_verifier,
        "the snapshot's master password"
    );
    assert_eq!(
        copy.restore_resource_id.as_deref(),
        Some(orig.resource_id.as_str())
    );
    assert_eq!(
        copy.restore_backup_key.as_deref(),
        Some(base.backup_key.as_str())
    );
    assert_eq!(
        copy.requested_port, None,
        "the port is the provider's unless asked"
    );
    assert_eq!(jobs(&s).last().unwrap(), &("create".to_owned(), None));
    // The snapshot an instance is being restored from cannot go meanwhile.
    let (status, body) = rds!(
        app,
        s,
        "DeleteDBSnapshot",
        [("DBSnapshotIdentifier", "base")]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBSnapshotState"),
        "{body}"
    );
    assert_eq!(
        snapshot(&s, "base").unwrap().status,
        SnapshotStatus::Available
    );
    settle(&s);
    assert_eq!(
        instances::find(&mut conn, "copy1").unwrap().unwrap().status,
        InstanceStatus::Available
    );
    let (status, body) = rds!(
        app,
        s,
        "DeleteDBSnapshot",
        [("DBSnapshotIdentifier", "base")]
    );
    assert_eq!(status, 200, "once restored it may: {body}");
}

#[actix_web::test]
async fn snapshots_have_tags_by_arn() {
    let s = setup(40);
    let app = app!(s);
    call!(app, s, &create_params("tg", &[]));
    settle(&s);
    rds!(
        app,
        s,
        "CreateDBSnapshot",
        [
            ("DBSnapshotIdentifier", "ts"),
            ("DBInstanceIdentifier", "tg")
        ]
    );
    let arn = "arn:aws:rds:local:000000000000:snapshot:ts";
    let (status, body) = rds!(
        app,
        s,
        "AddTagsToResource",
        [
            ("ResourceName", arn),
            ("Tags.Tag.1.Key", "a"),
            ("Tags.Tag.1.Value", "1"),
            ("Tags.Tag.2.Key", "b")
        ]
    );
    assert_eq!(status, 200, "{body}");
    rds!(
        app,
        s,
        "RemoveTagsFromResource",
        [("ResourceName", arn), ("TagKeys.member.1", "b")]
    );
    let (_, body) = rds!(app, s, "ListTagsForResource", [("ResourceName", arn)]);
    assert!(
        body.contains("<TagList><Tag><Key>a</Key><Value>1</Value></Tag></TagList>"),
        "{body}"
    );
    let (_, body) = rds!(
        app,
        s,
        "ListTagsForResource",
        [("ResourceName", "arn:aws:rds:local:000000000000:db:tg")]
    );
    assert!(
        body.contains("<TagList/>"),
        "the instance's tags are its own: {body}"
    );
    let (status, body) = rds!(
        app,
        s,
        "ListTagsForResource",
        [(
            "ResourceName",
            "arn:aws:rds:local:000000000000:snapshot:none"
        )]
    );
    assert_eq!((status, code(&body)), (404, "DBSnapshotNotFound"), "{body}");
}
