//! Accounts: a request sees only its key's account. Another account's identifier or ARN
//! answers exactly as a missing one does, names are unique per account, ARNs and quotas are
//! the owner's, and a revoked key is refused at once.

use crate::common::*;
use cornac_inventory::credentials::{self, AccessKey};
use cornac_inventory::{accounts, instances};

#[actix_web::test]
async fn each_account_sees_only_its_own() {
    let s = setup(40);
    let app = app!(s);
    let a = &s.key;
    let mut conn = s.state.inventory.get().unwrap();
    let (b_account, b) = second_account(&s);

    // A's instance, available, with a snapshot.
    let (status, body) = call!(app, s, &create_params("db1", &[]));
    assert_eq!(status, 200, "{body}");
    let row = instances::find_in(&mut conn, accounts::DEFAULT, "db1")
        .unwrap()
        .unwrap();
    instances::transition(
        &mut conn,
        row.id,
        cornac_domain::InstanceStatus::Available,
        None,
    )
    .unwrap();
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "CreateDBSnapshot"),
            V,
            ("DBInstanceIdentifier", "db1"),
            ("DBSnapshotIdentifier", "s1")
        ]
    );
    assert_eq!(status, 200, "{body}");

    let a_db = "arn:aws:rds:local:000000000000:db:db1";
    let a_snap = "arn:aws:rds:local:000000000000:snapshot:s1";
    let b_db = format!("arn:aws:rds:local:{}:db:db1", b_account.id);
    let b_snap = format!("arn:aws:rds:local:{}:snapshot:s1", b_account.id);
    // Every action that takes an instance or snapshot, by A's name or ARN; B has neither, so
    // B's own ARN is the missing one to compare with.
    type Extra = &'static [(&'static str, &'static str)];
    let cases: [(&str, &str, Extra, bool); 17] = [
        ("DescribeDBInstances", "DBInstanceIdentifier", &[], true),
        ("StopDBInstance", "DBInstanceIdentifier", &[], true),
        ("StartDBInstance", "DBInstanceIdentifier", &[], true),
        ("RebootDBInstance", "DBInstanceIdentifier", &[], true),
        (
            "DeleteDBInstance",
            "DBInstanceIdentifier",
            &[("SkipFinalSnapshot", "true")],
            true,
        ),
        (
            "ModifyDBInstance",
            "DBInstanceIdentifier",
            &[("DeletionProtection", "true")],
            true,
        ),
        (
            "CreateDBSnapshot",
            "DBInstanceIdentifier",
            &[("DBSnapshotIdentifier", "s2")],
            true,
        ),
        (
            "RestoreDBInstanceToPointInTime",
            "SourceDBInstanceIdentifier",
            &[
                ("TargetDBInstanceIdentifier", "t1"),
                ("UseLatestRestorableTime", "true"),
            ],
            true,
        ),
        (
            "AddTagsToResource",
            "ResourceName",
            &[("Tags.Tag.1.Key", "k"), ("Tags.Tag.1.Value", "v")],
            true,
        ),
        (
            "RemoveTagsFromResource",
            "ResourceName",
            &[("TagKeys.member.1", "k")],
            true,
        ),
        ("ListTagsForResource", "ResourceName", &[], true),
        ("ListTagsForResource", "ResourceName", &[], false),
        (
            "AddTagsToResource",
            "ResourceName",
            &[("Tags.Tag.1.Key", "k"), ("Tags.Tag.1.Value", "v")],
            false,
        ),
        ("DescribeDBSnapshots", "DBSnapshotIdentifier", &[], false),
        ("DeleteDBSnapshot", "DBSnapshotIdentifier", &[], false),
        (
            "CopyDBSnapshot",
            "SourceDBSnapshotIdentifier",
            &[("TargetDBSnapshotIdentifier", "c1")],
            false,
        ),
        (
            "RestoreDBInstanceFromDBSnapshot",
            "DBSnapshotIdentifier",
            &[("DBInstanceIdentifier", "r1")],
            false,
        ),
    ];
    for (action, parameter, extra, instance) in cases {
        let (theirs, missing, name) = if instance {
            (a_db, b_db.as_str(), "db1")
        } else {
            (a_snap, b_snap.as_str(), "s1")
        };
        let params = |id: &'static str| -> Vec<(&str, &str)> {
            let mut p = vec![("Action", action), V, (parameter, id)];
            p.extend_from_slice(extra);
            p
        };
        let missing: &'static str = Box::leak(missing.to_owned().into_boxed_str());
        let (st1, foreign) = call_as!(app, b, "rds", &params(theirs));
        let (st2, absent) = call_as!(app, b, "rds", &params(missing));
        let (st3, by_name) = call_as!(app, b, "rds", &params(name));
        // Whatever a missing ARN answers (not found, or an action that takes no ARN), A's
        // answers the same.
        assert_eq!(
            (st1, error(&foreign)),
            (st2, error(&absent)),
            "{action} by ARN"
        );
        // A bare ResourceName names an instance, so snapshots go by ARN only.
        if instance || parameter != "ResourceName" {
            let want = if instance {
                "DBInstanceNotFound"
            } else {
                "DBSnapshotNotFound"
            };
            assert_eq!((st3, code(&by_name)), (404, want), "{action}: {by_name}");
        }
    }

    // B's lists show none of A's; events neither.
    for (action, marker) in [
        ("DescribeDBInstances", "db1"),
        ("DescribeDBSnapshots", "s1"),
        ("DescribeEvents", "db1"),
    ] {
        let (status, body) = call_as!(app, b, "rds", &[("Action", action), V]);
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains(&format!(">{marker}<")), "{action}: {body}");
    }
    // The same name in B works, with B's ARN; each lists its own.
    let (status, body) = call_as!(app, b, "rds", &create_params("db1", &[]));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&b_db), "{body}");
    let (_, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert!(body.contains(a_db) && !body.contains(&b_db), "{body}");
    // Quotas count per account: A has one instance, B one.
    let (_, body) = call_as!(app, b, "rds", &[("Action", "DescribeAccountAttributes"), V]);
    assert!(
        body.contains("<AccountQuotaName>DBInstances</AccountQuotaName><Used>1</Used>"),
        "{body}"
    );
    // STS: the caller's account and its root.
    let sts = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")];
    let (status, body) = call_as!(app, b, "sts", &sts);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&format!("<Account>{}</Account>", b_account.id)),
        "{body}"
    );
    assert!(
        body.contains(&format!("<Arn>arn:aws:iam::{}:root</Arn>", b_account.id)),
        "{body}"
    );
    let (_, body) = call_as!(app, a, "sts", &sts);
    assert!(body.contains("<Account>000000000000</Account>"), "{body}");

    // A revoked key is refused from its next request on.
    assert!(credentials::revoke(&mut conn, &b.id).unwrap());
    let (status, body) = call_as!(app, b, "rds", &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(
        (status, code(&body)),
        (403, "InvalidClientTokenId"),
        "{body}"
    );
    // A key of the system account never authenticates.
    let sys = AccessKey::generate();
    credentials::save(
        &mut conn,
        &s.state.encryption_key,
        &sys,
        accounts::SYSTEM,
        None,
        "x",
    )
    .unwrap();
    let (_, body) = call_as!(app, sys, "rds", &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(code(&body), "InvalidClientTokenId", "{body}");
}
