//! DescribeDBSnapshots: by identifier, instance, type and every filter, and in pages.

use crate::common::*;
use crate::snapshots::{rds, settle, snapshot};
use cornac_inventory::instances;
use diesel::prelude::*;

#[actix_web::test]
async fn snapshots_are_described_by_id_instance_type_and_filters_in_pages() {
    let s = setup(40);
    let app = app!(s);
    for db in ["da", "db"] {
        call!(app, s, &create_params(db, &[]));
    }
    settle(&s);
    for (name, db) in [("a1", "da"), ("b1", "db"), ("a2", "da")] {
        let (status, body) = rds!(
            app,
            s,
            "CreateDBSnapshot",
            [("DBSnapshotIdentifier", name), ("DBInstanceIdentifier", db)]
        );
        assert_eq!(status, 200, "{body}");
        settle(&s);
    }
    let names = |body: &str| -> Vec<String> {
        body.split("<DBSnapshotIdentifier>")
            .skip(1)
            .map(|p| p.split('<').next().unwrap().to_owned())
            .collect()
    };
    let (_, body) = rds!(app, s, "DescribeDBSnapshots", []);
    assert_eq!(names(&body), ["a1", "a2", "b1"]);
    assert!(
        body.contains("<Status>available</Status>") && body.contains("<SnapshotCreateTime>"),
        "{body}"
    );
    let (_, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [("DBInstanceIdentifier", "da")]
    );
    assert_eq!(names(&body), ["a1", "a2"]);
    let (_, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [("DBSnapshotIdentifier", "b1")]
    );
    assert_eq!(names(&body), ["b1"]);
    let (_, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [("SnapshotType", "automated")]
    );
    assert_eq!(names(&body), Vec::<String>::new());
    let (_, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [("SnapshotType", "manual"), ("DBInstanceIdentifier", "db")]
    );
    assert_eq!(names(&body), ["b1"]);
    // A parameter and the filter of its field both apply.
    let (_, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [
            ("DBInstanceIdentifier", "da"),
            ("Filters.Filter.1.Name", "db-snapshot-id"),
            ("Filters.Filter.1.Values.Value.1", "a2"),
            ("Filters.Filter.1.Values.Value.2", "b1")
        ]
    );
    assert_eq!(names(&body), ["a2"]);
    let (status, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [
            ("DBSnapshotIdentifier", "a1"),
            ("Filters.Filter.1.Name", "db-instance-id"),
            ("Filters.Filter.1.Values.Value.1", "db")
        ]
    );
    assert_eq!((status, code(&body)), (404, "DBSnapshotNotFound"), "{body}");
    let resource = instances::find(&mut s.state.inventory.get().unwrap(), "db")
        .unwrap()
        .unwrap()
        .resource_id;
    for (filter, value, want) in [
        ("db-snapshot-id", "a2", vec!["a2"]),
        (
            "db-instance-id",
            "arn:aws:rds:local:000000000000:db:da",
            vec!["a1", "a2"],
        ),
        ("dbi-resource-id", resource.as_str(), vec!["b1"]),
        ("snapshot-type", "manual", vec!["a1", "a2", "b1"]),
    ] {
        let (_, body) = rds!(
            app,
            s,
            "DescribeDBSnapshots",
            [
                ("Filters.Filter.1.Name", filter),
                ("Filters.Filter.1.Values.Value.1", value)
            ]
        );
        assert_eq!(names(&body), want, "{filter}");
    }
    let (status, body) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [("DBSnapshotIdentifier", "zz")]
    );
    assert_eq!((status, code(&body)), (404, "DBSnapshotNotFound"), "{body}");
    let (status, body) = rds!(app, s, "DescribeDBSnapshots", [("SnapshotType", "weekly")]);
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidParameterValue"),
        "{body}"
    );

    // Pages of 20 over 23 snapshots (the quota allows 3; lift it for paging by raw rows).
    let mut conn = s.state.inventory.get().unwrap();
    let source = snapshot(&s, "a1").unwrap();
    for i in 0..20 {
        diesel::sql_query(format!(
            "INSERT INTO db_snapshots (identifier, arn, status, snapshot_type, source_instance_id, \
             instance_identifier, dbi_resource_id, backup_key, engine, engine_version, \
             instance_class, allocated_storage, port, master_username, master_password_verifier, \
             provider, instance_create_time) SELECT 'p{i:02}', arn, status, snapshot_type, \
             source_instance_id, instance_identifier, dbi_resource_id, backup_key, engine, \
             engine_version, instance_class, allocated_storage, port, master_username, \
             master_password_verifier, provider, instance_create_time FROM db_snapshots WHERE id = {}",
            source.id
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let (_, first) = rds!(app, s, "DescribeDBSnapshots", [("MaxRecords", "20")]);
    assert_eq!(names(&first).len(), 20);
    let marker = first
        .split("<Marker>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let (_, rest) = rds!(
        app,
        s,
        "DescribeDBSnapshots",
        [("MaxRecords", "20"), ("Marker", marker.as_str())]
    );
    assert_eq!(names(&rest).len(), 3);
    assert!(!rest.contains("<Marker>"), "{rest}");
}
