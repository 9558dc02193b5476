//! Start, stop, reboot, modify and delete: each follows the status machine.

use crate::common::*;
use diesel::prelude::*;

#[actix_web::test]
async fn state_changes_follow_the_status_machine() {
    let s = setup(40);
    let app = app!(s);
    call!(
        app,
        s,
        &create_params("st1", &[("DeletionProtection", "true")])
    );
    for action in ["StartDBInstance", "StopDBInstance", "RebootDBInstance"] {
        let (status, body) = call!(
            app,
            s,
            &[("Action", action), V, ("DBInstanceIdentifier", "st1")]
        );
        assert_eq!(
            (status, code(&body)),
            (400, "InvalidDBInstanceState"),
            "{action} while creating: {body}"
        );
        let (status, body) = call!(
            app,
            s,
            &[("Action", action), V, ("DBInstanceIdentifier", "ghost")]
        );
        assert_eq!(
            (status, code(&body)),
            (404, "DBInstanceNotFound"),
            "{action}"
        );
    }
    let del = |extra: &'static [(&'static str, &'static str)]| {
        let mut p = vec![
            ("Action", "DeleteDBInstance"),
            V,
            ("DBInstanceIdentifier", "st1"),
        ];
        p.extend_from_slice(extra);
        p
    };
    let (status, body) = call!(app, s, &del(&[]));
    assert_eq!((status, code(&body)), (400, "InvalidParameterCombination"));
    let (_, body) = call!(
        app,
        s,
        &del(&[
            ("SkipFinalSnapshot", "true"),
            ("FinalDBSnapshotIdentifier", "x")
        ])
    );
    assert_eq!(code(&body), "InvalidParameterCombination");
    let (_, body) = call!(app, s, &del(&[("FinalDBSnapshotIdentifier", "x")]));
    assert!(
        body.contains("protect"),
        "deletion protection refuses a delete with a final snapshot too: {body}"
    );
    let (_, body) = call!(app, s, &del(&[("SkipFinalSnapshot", "true")]));
    assert!(
        body.contains("protect"),
        "deletion protection refuses: {body}"
    );

    // Settle it by hand (no worker here), then walk the machine.
    let mut conn = s.state.inventory.get().unwrap();
    diesel::sql_query("UPDATE db_instances SET status = 'available'")
        .execute(&mut conn)
        .unwrap();
    // Starting a running instance is refused, as RDS refuses it, and changes nothing.
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "StartDBInstance"),
            V,
            ("DBInstanceIdentifier", "st1")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceState"),
        "start while available: {body}"
    );
    let row = cornac_inventory::instances::find(&mut conn, "st1")
        .unwrap()
        .unwrap();
    assert_eq!(row.status, cornac_domain::InstanceStatus::Available);
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "StopDBInstance"),
            V,
            ("DBInstanceIdentifier", "st1")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<DBInstanceStatus>stopping</DBInstanceStatus>"));
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "StopDBInstance"),
            V,
            ("DBInstanceIdentifier", "st1")
        ]
    );
    assert_eq!(code(&body), "InvalidDBInstanceState");

    diesel::sql_query("UPDATE db_instances SET status = 'available'")
        .execute(&mut conn)
        .unwrap();
    let modify = |pairs: &[(&'static str, &'static str)]| {
        let mut p = vec![
            ("Action", "ModifyDBInstance"),
            V,
            ("DBInstanceIdentifier", "st1"),
        ];
        p.extend_from_slice(pairs);
        p
    };
    let (_, body) = call!(app, s, &modify(&[]));
    assert_eq!(code(&body), "InvalidParameterCombination");
    let (status, body) = call!(
        app,
        s,
        &modify(&[
            ("DeletionProtection", "false"),
            ("NewDBInstanceIdentifier", "st2"),
            ("BackupRetentionPeriod", "7"),
            ("PreferredBackupWindow", "22:00-22:45")
        ])
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DBInstanceIdentifier>st2</DBInstanceIdentifier>")
            && body.contains("<BackupRetentionPeriod>7</BackupRetentionPeriod>")
            && body.contains("<PreferredBackupWindow>22:00-22:45</PreferredBackupWindow>"),
        "{body}"
    );
    // A window over the maintenance window changes nothing.
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "ModifyDBInstance"),
            V,
            ("DBInstanceIdentifier", "st2"),
            ("PreferredBackupWindow", "04:00-04:30")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidParameterValue"),
        "{body}"
    );
    assert!(body.contains("PreferredBackupWindow"), "{body}");
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("DBInstanceIdentifier", "st2")
        ]
    );
    assert!(
        body.contains("<PreferredBackupWindow>22:00-22:45</PreferredBackupWindow>"),
        "{body}"
    );
    assert!(body.contains("<DBInstanceStatus>available</DBInstanceStatus>"));
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "ModifyDBInstance"),
            V,
            ("DBInstanceIdentifier", "st2"),
            ("MasterUserPassword", "An0ther-pass")
        ]
    );
    assert!(
        body.contains("<DBInstanceStatus>modifying</DBInstanceStatus>"),
        "{body}"
    );
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "DeleteDBInstance"),
            V,
            ("DBInstanceIdentifier", "st2"),
            ("SkipFinalSnapshot", "true")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "InvalidDBInstanceState"),
        "not while modifying"
    );
}
