//! Every action's success and error paths through the actix app, signed with SigV4, on a real
//! inventory cluster. The worker does not run here: these check what the API records and answers.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[macro_use]
mod common;

use actix_web::{test, web, App};
use common::*;
use cornac_api::routes;
use diesel::prelude::*;
use secrecy::ExposeSecret;
use std::sync::Arc;

#[actix_web::test]
async fn create_records_creating_and_enqueues_in_the_same_transaction() {
    let s = setup(40);
    let app = app!(s);
    let (status, body) = call!(
        app,
        s,
        &create_params(
            "Shop1",
            &[
                ("DBName", "shop"),
                ("Tags.Tag.1.Key", "env"),
                ("Tags.Tag.1.Value", "dev")
            ]
        )
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("<CreateDBInstanceResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><CreateDBInstanceResult><DBInstance>"), "{body}");
    assert!(body.contains("<DBInstanceIdentifier>shop1</DBInstanceIdentifier>"));
    assert!(body.contains("<DBInstanceStatus>creating</DBInstanceStatus>"));
    assert!(body.contains("<DBInstanceArn>arn:aws:rds:local:000000000000:db:shop1</DBInstanceArn>"));
    assert!(body.contains("<TagList><Tag><Key>env</Key><Value>dev</Value></Tag></TagList>"));
    assert!(!body.contains("C0nfidentiel") && !body.contains("SCRAM"));
    let (_, described) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("DBInstanceIdentifier", "shop1")
        ]
    );
    assert!(
        described.contains("<DBInstanceStatus>creating</DBInstanceStatus>"),
        "{described}"
    );

    let mut conn = s.state.inventory.get().unwrap();
    let jobs: Vec<(String, String)> = cornac_inventory::schema::jobs::table
        .select((
            cornac_inventory::schema::jobs::kind,
            cornac_inventory::schema::jobs::state,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(jobs, vec![("create".to_owned(), "queued".to_owned())]);
    let verifier: String = cornac_inventory::schema::db_instances::table
        .select(cornac_inventory::schema::db_instances::master_password_verifier)
        .first(&mut conn)
        .unwrap();
    assert!(verifier.starts_with("SCRAM-SHA-256$4096:"));

    let (status, dup) = call!(app, s, &create_params("shop1", &[]));
    assert_eq!(
        (status, code(&dup)),
        (400, "DBInstanceAlreadyExists"),
        "{dup}"
    );
}

#[actix_web::test]
async fn create_validation_names_the_parameter() {
    let s = setup(2);
    let app = app!(s);
    let tags51: Vec<(String, String)> = (1..=51)
        .map(|i| (format!("Tags.Tag.{i}.Key"), format!("k{i}")))
        .collect();
    let tags51: Vec<(&str, &str)> = tags51
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            create_params("a--b", &[]),
            400,
            "InvalidParameterValue",
            "DBInstanceIdentifier",
        ),
        (
            create_params("ok1", &[("Engine", "mysql")]),
            400,
            "InvalidParameterValue",
            "Engine",
        ),
        (
            create_params("ok1", &[("EngineVersion", "9.6")]),
            400,
            "InvalidParameterValue",
            "EngineVersion",
        ),
        (
            create_params("ok1", &[("DBInstanceClass", "db.nope")]),
            400,
            "InvalidParameterValue",
            "DBInstanceClass",
        ),
        (
            create_params("ok1", &[("AllocatedStorage", "lots")]),
            400,
            "InvalidParameterValue",
            "AllocatedStorage",
        ),
        (
            create_params("ok1", &[("AllocatedStorage", "0")]),
            400,
            "InvalidParameterValue",
            "AllocatedStorage",
        ),
        (
            create_params("ok1", &[("MasterUsername", "rdsadmin")]),
            400,
            "InvalidParameterValue",
            "MasterUsername",
        ),
        (
            create_params("ok1", &[("MasterUserPassword", "has/slash1")]),
            400,
            "InvalidParameterValue",
            "MasterUserPassword",
        ),
        (
            create_params("ok1", &[("DBName", "template1")]),
            400,
            "InvalidParameterValue",
            "DBName",
        ),
        (
            create_params("ok1", &[("Port", "80")]),
            400,
            "InvalidParameterValue",
            "Port",
        ),
        (
            create_params("ok1", &[("DeletionProtection", "yes")]),
            400,
            "InvalidParameterValue",
            "DeletionProtection",
        ),
        (
            create_params("ok1", &[("BackupRetentionPeriod", "36")]),
            400,
            "InvalidParameterValue",
            "BackupRetentionPeriod",
        ),
        (
            create_params("ok1", &[("MultiAZ", "true")]),
            400,
            "InvalidParameterCombination",
            "MultiAZ",
        ),
        (
            create_params("ok1", &[("Tags.Tag.1.Key", "aws:x")]),
            400,
            "InvalidParameterValue",
            "Tags",
        ),
        (
            create_params("ok1", &tags51),
            400,
            "InvalidParameterValue",
            "Tags",
        ),
        (
            vec![
                ("Action", "CreateDBInstance"),
                V,
                ("DBInstanceIdentifier", "ok1"),
            ],
            400,
            "MissingParameter",
            "DBInstanceClass",
        ),
    ];
    for (params, status, expected, field) in cases {
        let (got, body) = call!(app, s, &params);
        assert_eq!((got, code(&body)), (status, expected), "{params:?}: {body}");
        assert!(body.contains(field), "{params:?}: {body}");
        assert!(body.contains("<Type>Sender</Type>"));
    }
    // Nothing was recorded by any of them.
    let (_, listed) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert!(listed.contains("<DBInstances/>"), "{listed}");
    // Quotas.
    assert_eq!(call!(app, s, &create_params("q1", &[])).0, 200);
    assert_eq!(call!(app, s, &create_params("q2", &[])).0, 200);
    let (status, body) = call!(app, s, &create_params("q3", &[]));
    assert_eq!((status, code(&body)), (400, "InstanceQuotaExceeded"));
}

#[actix_web::test]
async fn describe_filters_and_pages() {
    let s = setup(100);
    let app = app!(s);
    for i in 0..25 {
        assert_eq!(
            call!(app, s, &create_params(&format!("db{i:02}"), &[])).0,
            200
        );
    }
    let (_, first) = call!(
        app,
        s,
        &[("Action", "DescribeDBInstances"), V, ("MaxRecords", "20")]
    );
    assert_eq!(first.matches("<DBInstance>").count(), 20);
    assert!(first.contains("<Marker>db19</Marker>"), "{first}");
    let (_, second) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("MaxRecords", "20"),
            ("Marker", "db19")
        ]
    );
    assert_eq!(second.matches("<DBInstance>").count(), 5);
    assert!(!second.contains("<Marker>"));
    let (_, filtered) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "db-instance-id"),
            ("Filters.Filter.1.Values.Value.1", "db03"),
            (
                "Filters.Filter.1.Values.Value.2",
                "arn:aws:rds:local:000000000000:db:db04"
            )
        ]
    );
    assert_eq!(filtered.matches("<DBInstance>").count(), 2, "{filtered}");
    let (_, engine) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "engine"),
            ("Filters.Filter.1.Values.Value.1", "mysql")
        ]
    );
    assert!(engine.contains("<DBInstances/>"));
    for (params, status, expected) in [
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("DBInstanceIdentifier", "nope"),
            ],
            404,
            "DBInstanceNotFound",
        ),
        (
            vec![("Action", "DescribeDBInstances"), V, ("MaxRecords", "19")],
            400,
            "InvalidParameterValue",
        ),
        (
            vec![("Action", "DescribeDBInstances"), V, ("MaxRecords", "101")],
            400,
            "InvalidParameterValue",
        ),
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("Filters.Filter.1.Name", "color"),
                ("Filters.Filter.1.Values.Value.1", "x"),
            ],
            400,
            "InvalidParameterValue",
        ),
    ] {
        let (got, body) = call!(app, s, &params);
        assert_eq!((got, code(&body)), (status, expected), "{params:?}");
    }
}

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
    assert!(body.contains("not supported"), "{body}");
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
            ("BackupRetentionPeriod", "7")
        ])
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<DBInstanceIdentifier>st2</DBInstanceIdentifier>")
            && body.contains("<BackupRetentionPeriod>7</BackupRetentionPeriod>")
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

#[actix_web::test]
async fn tags_by_arn() {
    let s = setup(40);
    let app = app!(s);
    call!(app, s, &create_params("tg1", &[]));
    let arn = "arn:aws:rds:local:000000000000:db:tg1";
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "AddTagsToResource"),
            V,
            ("ResourceName", arn),
            ("Tags.Tag.1.Key", "a"),
            ("Tags.Tag.1.Value", "1"),
            ("Tags.Tag.2.Key", "b")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("<AddTagsToResourceResponse") && !body.contains("Result"));
    call!(
        app,
        s,
        &[
            ("Action", "RemoveTagsFromResource"),
            V,
            ("ResourceName", arn),
            ("TagKeys.member.1", "b")
        ]
    );
    let (_, body) = call!(
        app,
        s,
        &[("Action", "ListTagsForResource"), V, ("ResourceName", arn)]
    );
    assert!(
        body.contains("<TagList><Tag><Key>a</Key><Value>1</Value></Tag></TagList>"),
        "{body}"
    );
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "ListTagsForResource"),
            V,
            ("ResourceName", "arn:aws:rds:us-east-1:1:db:tg1")
        ]
    );
    assert_eq!((status, code(&body)), (400, "InvalidParameterValue"));
    let (status, _) = call!(
        app,
        s,
        &[
            ("Action", "ListTagsForResource"),
            V,
            ("ResourceName", "arn:aws:rds:local:000000000000:db:ghost")
        ]
    );
    assert_eq!(status, 404);
}

#[actix_web::test]
async fn protocol_and_authentication_errors() {
    let s = setup(40);
    let app = app!(s);
    let (status, body) = call!(app, s, &[("Action", "DropEverything"), V]);
    assert_eq!((status, code(&body)), (400, "InvalidAction"));
    let (status, body) = call!(
        app,
        s,
        &[("Action", "DescribeDBInstances"), ("Version", "2099-01-01")]
    );
    assert_eq!((status, code(&body)), (400, "InvalidAction"));
    let (status, body) = call!(app, s, &[V]);
    assert_eq!((status, code(&body)), (400, "InvalidAction"));

    let unsigned = test::TestRequest::post()
        .uri("/rds")
        .set_payload("Action=DescribeDBInstances&Version=2014-10-31")
        .to_request();
    let resp = test::call_service(&app, unsigned).await;
    assert_eq!(resp.status().as_u16(), 403);
    assert_eq!(
        code(std::str::from_utf8(&test::read_body(resp).await).unwrap()),
        "MissingAuthenticationToken"
    );

    let body = "Action=DescribeDBInstances&Version=2014-10-31";
    for (key, secret, service, expected) in [
        (
            "AKIAUNKNOWN000000000",
            "whatever",
            "rds",
            "InvalidClientTokenId",
        ),
        (
            s.key.id.as_str(),
            "wrong-secret",
            "rds",
            "SignatureDoesNotMatch",
        ),
        (
            s.key.id.as_str(),
            s.key.secret.expose_secret(),
            "sts",
            "SignatureDoesNotMatch",
        ),
    ] {
        let resp = test::call_service(&app, signed(body, key, secret, service).to_request()).await;
        assert_eq!(resp.status().as_u16(), 403);
        assert_eq!(
            code(std::str::from_utf8(&test::read_body(resp).await).unwrap()),
            expected
        );
    }
    let (status, body) = call!(
        app,
        s,
        &[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]
    );
    assert_eq!(
        (status, code(&body)),
        (403, "SignatureDoesNotMatch"),
        "GetCallerIdentity must be signed for sts"
    );
    let resp = test::call_service(
        &app,
        signed(
            "Action=GetCallerIdentity&Version=2011-06-15",
            &s.key.id,
            s.key.secret.expose_secret(),
            "sts",
        )
        .to_request(),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let body = String::from_utf8(test::read_body(resp).await.to_vec()).unwrap();
    assert!(body.contains("<Account>000000000000</Account>") && body.contains(&s.key.id));

    let big = format!(
        "Action=DescribeDBInstances&Version=2014-10-31&X={}",
        "a".repeat(70_000)
    );
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V, ("X", &big)]);
    assert_eq!((status, code(&body)), (413, "RequestEntityTooLarge"));
}

/// The scope and time are checked before the secret lookup: with the inventory down, a request
/// scoped to another region or service, or signed too long ago, still gets its AWS error (it
/// would be a 500 if it queried the inventory), and a well-scoped one is the 500.
#[actix_web::test]
async fn scope_and_time_are_refused_before_any_inventory_query() {
    let s = setup(40);
    let app = app!(s);
    s.cluster.stop();
    let body = "Action=DescribeDBInstances&Version=2014-10-31";
    let (id, secret) = (s.key.id.as_str(), s.key.secret.expose_secret());
    let now = chrono::Utc::now();
    let old = now - chrono::Duration::minutes(16);
    for (service, region, at, expected) in [
        ("rds", "eu-west-3", now, (403, "SignatureDoesNotMatch")),
        ("s3", "local", now, (403, "SignatureDoesNotMatch")),
        ("rds", "local", old, (400, "RequestExpired")),
        ("rds", "local", now, (500, "InternalFailure")),
    ] {
        let req = signed_for(body, id, secret, service, region, at).to_request();
        let (status, answer) = send(&app, req).await;
        assert_eq!(
            (status, code(&answer)),
            expected,
            "{service} {region}: {answer}"
        );
    }
    s.cluster.restart();
}

#[actix_web::test]
async fn the_catalog_and_events() {
    let s = setup(40);
    let app = app!(s);
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBEngineVersions"),
            V,
            ("Engine", "postgres")
        ]
    );
    assert!(
        body.contains("<EngineVersion>15.18</EngineVersion>")
            && body.contains("<DBParameterGroupFamily>postgres15</DBParameterGroupFamily>"),
        "{body}"
    );
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeOrderableDBInstanceOptions"),
            V,
            ("Engine", "postgres"),
            ("DBInstanceClass", "db.m5.large")
        ]
    );
    assert_eq!(
        body.matches("<OrderableDBInstanceOption>").count(),
        1,
        "{body}"
    );
    call!(app, s, &create_params("ev1", &[]));
    let (_, body) = call!(app, s, &[("Action", "DescribeAccountAttributes"), V]);
    assert!(
        body.contains(
            "<AccountQuotaName>DBInstances</AccountQuotaName><Used>1</Used><Max>40</Max>"
        ),
        "{body}"
    );
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeEvents"),
            V,
            ("SourceIdentifier", "ev1"),
            ("SourceType", "db-instance")
        ]
    );
    assert!(
        body.contains("<Message>DB instance is being created</Message>"),
        "{body}"
    );
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeEvents"),
            V,
            ("StartTime", "2001-01-01T00:00:00Z"),
            ("EndTime", "2001-01-02T00:00:00Z")
        ]
    );
    assert!(body.contains("<Events/>"), "{body}");
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeEvents"),
            V,
            ("StartTime", "last tuesday")
        ]
    );
    assert_eq!((status, code(&body)), (400, "InvalidParameterValue"));
    assert!(body.contains("StartTime"));
}

#[actix_web::test]
async fn an_unreachable_inventory_is_an_internal_failure_not_a_hang() {
    let s = setup(40);
    let app = app!(s);
    s.cluster.stop();
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert_eq!((status, code(&body)), (500, "InternalFailure"), "{body}");
    assert!(body.contains("<Type>Receiver</Type>"));
    // Back by itself once the inventory is.
    s.cluster.restart();
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(status, 200, "{body}");
}

/// The inventory as `cornac bootstrap` registers it: the system instance `cornac`.
fn register_inventory(s: &Setup) -> cornac_inventory::instances::DbInstance {
    use cornac_inventory::instances::{self, NewDbInstance};
    let mut conn = s.state.inventory.get().unwrap();
    let verifier = cornac_domain::ScramVerifier::new("inventory-secret");
    let row = instances::insert(
        &mut conn,
        &NewDbInstance {
            identifier: "cornac",
            resource_id: "db-INVENTORY",
            arn: "arn:aws:rds:local:000000000000:db:cornac",
            status: "available",
            instance_class: "db.t3.micro",
            engine: "postgres",
            engine_version: "15.18",
            allocated_storage: 1,
            master_username: "cornac",
            master_password_verifier: verifier.as_str(),
            db_name: Some("cornac"),
            requested_port: None,
            endpoint_address: Some("127.0.0.1"),
            endpoint_port: Some(5999),
            deletion_protection: true,
            backup_retention_period: 0,
            provider: "local",
        },
    )
    .unwrap();
    assert!(instances::mark_system(&mut conn, &row.resource_id).unwrap());
    instances::get(&mut conn, row.id).unwrap().unwrap()
}

#[actix_web::test]
async fn no_action_lists_or_changes_the_inventory() {
    let s = setup(40);
    let app = app!(s);
    let before = register_inventory(&s);
    call!(app, s, &create_params("mine", &[]));
    let arn = "arn:aws:rds:local:000000000000:db:cornac";
    let id = |action: &'static str| vec![("Action", action), V, ("DBInstanceIdentifier", "cornac")];
    let with = |mut p: Vec<(&'static str, &'static str)>,
                extra: &[(&'static str, &'static str)]| {
        p.extend_from_slice(extra);
        p
    };
    let refused: Vec<Vec<(&str, &str)>> = vec![
        id("StopDBInstance"),
        id("StartDBInstance"),
        id("RebootDBInstance"),
        with(id("DeleteDBInstance"), &[("SkipFinalSnapshot", "true")]),
        with(
            id("ModifyDBInstance"),
            &[("MasterUserPassword", "Takeover-123")],
        ),
        with(id("ModifyDBInstance"), &[("DeletionProtection", "false")]),
        with(
            id("ModifyDBInstance"),
            &[("NewDBInstanceIdentifier", "renamed")],
        ),
        with(
            vec![
                ("Action", "ModifyDBInstance"),
                V,
                ("DBInstanceIdentifier", arn),
            ],
            &[("BackupRetentionPeriod", "7")],
        ),
        id("DescribeDBInstances"),
        vec![
            ("Action", "AddTagsToResource"),
            V,
            ("ResourceName", arn),
            ("Tags.Tag.1.Key", "owner"),
            ("Tags.Tag.1.Value", "me"),
        ],
        vec![
            ("Action", "RemoveTagsFromResource"),
            V,
            ("ResourceName", arn),
            ("TagKeys.member.1", "owner"),
        ],
        vec![("Action", "ListTagsForResource"), V, ("ResourceName", arn)],
    ];
    for params in &refused {
        let (status, body) = call!(app, s, params);
        assert_eq!(
            (status, code(&body)),
            (400, "InvalidParameterValue"),
            "{params:?}: {body}"
        );
        assert!(
            body.contains(
                "cornac is Cornac&apos;s inventory, a system instance managed by `cornac` commands"
            ) || body.contains(
                "cornac is Cornac's inventory, a system instance managed by `cornac` commands"
            ),
            "{body}"
        );
        assert!(
            body.contains("DBInstanceIdentifier") || body.contains("ResourceName"),
            "{body}"
        );
    }
    // Listing never shows it, with or without filters; the caller's own instance is there.
    for params in [
        vec![("Action", "DescribeDBInstances"), V],
        vec![
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "db-instance-id"),
            ("Filters.Filter.1.Values.Value.1", "cornac"),
        ],
        vec![
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "dbi-resource-id"),
            ("Filters.Filter.1.Values.Value.1", "db-INVENTORY"),
        ],
    ] {
        let (status, body) = call!(app, s, &params);
        assert_eq!(status, 200, "{body}");
        assert!(
            !body.contains(">cornac<") && !body.contains("5999"),
            "{body}"
        );
    }
    let (_, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert!(body.contains("<DBInstanceIdentifier>mine</DBInstanceIdentifier>"));
    // Nor are its events listed (the caller's are).
    cornac_inventory::events::record(
        &mut s.state.inventory.get().unwrap(),
        "cornac",
        arn,
        "notification",
        "stop job refused: inventory internals",
    )
    .unwrap();
    for params in [
        vec![("Action", "DescribeEvents"), V],
        vec![
            ("Action", "DescribeEvents"),
            V,
            ("SourceIdentifier", "cornac"),
        ],
    ] {
        let (status, body) = call!(app, s, &params);
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains("inventory internals"), "{body}");
    }
    let (_, body) = call!(app, s, &[("Action", "DescribeEvents"), V]);
    assert!(
        body.contains("<SourceIdentifier>mine</SourceIdentifier>"),
        "{body}"
    );
    // Renaming another (available) instance onto it is refused as a name that exists.
    let mine = cornac_inventory::instances::find(&mut s.state.inventory.get().unwrap(), "mine")
        .unwrap()
        .unwrap();
    cornac_inventory::instances::transition(
        &mut s.state.inventory.get().unwrap(),
        mine.id,
        cornac_domain::InstanceStatus::Available,
        None,
    )
    .unwrap();
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "ModifyDBInstance"),
            V,
            ("DBInstanceIdentifier", "mine"),
            ("NewDBInstanceIdentifier", "cornac")
        ]
    );
    assert_eq!(
        (status, code(&body)),
        (400, "DBInstanceAlreadyExists"),
        "{body}"
    );

    // Nothing changed: the row, its tags, and no job was queued for it.
    let mut conn = s.state.inventory.get().unwrap();
    let after = cornac_inventory::instances::get(&mut conn, before.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            &after.identifier,
            &after.status,
            &after.master_password_verifier
        ),
        (
            &before.identifier,
            &before.status,
            &before.master_password_verifier
        )
    );
    assert!(after.deletion_protection && after.backup_retention_period == 0);
    assert!(cornac_inventory::tags::list(&mut conn, before.id)
        .unwrap()
        .is_empty());
    let jobs: i64 = cornac_inventory::schema::jobs::table
        .filter(cornac_inventory::schema::jobs::instance_id.eq(before.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(jobs, 0);
}

#[actix_web::test]
async fn postgraas_never_shows_or_deletes_the_inventory() {
    let s = setup(40);
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(s.state.clone()))
            .configure(routes)
            .configure(cornac_api::postgraas::routes),
    )
    .await;
    let inventory = register_inventory(&s);
    let req = test::TestRequest::get()
        .uri("/api/v2/postgraas_instances")
        .to_request();
    let listed: serde_json::Value = test::call_and_read_body_json(&app, req).await;
    assert_eq!(listed, serde_json::json!([]));
    let path = format!("/api/v2/postgraas_instances/{}", inventory.id);
    for req in [
        test::TestRequest::get().uri(&path),
        test::TestRequest::delete()
            .uri(&path)
            .set_json(serde_json::json!({"db_pwd": "inventory-secret"})),
    ] {
        let resp = test::call_service(&app, req.to_request()).await;
        assert_eq!(resp.status().as_u16(), 403);
        let body: serde_json::Value = test::read_body_json(resp).await;
        let msg = body["msg"].as_str().unwrap();
        assert!(msg.contains("cornac is Cornac's inventory"), "{msg}");
        assert!(!msg.contains("5999") && !msg.contains("127.0.0.1"), "{msg}");
    }
    let mut conn = s.state.inventory.get().unwrap();
    let after = cornac_inventory::instances::get(&mut conn, inventory.id)
        .unwrap()
        .unwrap();
    assert_eq!(after.status, "available");
}

#[actix_web::test]
async fn create_refuses_a_port_the_provider_cannot_use() {
    use cornac_domain::Provider;
    let mut s = setup(40);
    let state_dir = cornac_test_support::state_dir();
    let settings = cornac_test_support::local_settings();
    let (min, max) = (settings.port_min, settings.port_max);
    let provider = cornac_providers::LocalProvider::new(settings, state_dir.path()).unwrap();
    s.state.ports = provider.ports();
    let app = app!(s);
    for port in [min - 1, max + 1, 7999] {
        let port = port.to_string();
        let (status, body) = call!(app, s, &create_params("p1", &[("Port", &port)]));
        assert_eq!(
            (status, code(&body)),
            (400, "InvalidParameterValue"),
            "{port}: {body}"
        );
        assert!(
            body.contains(&format!(
                "parameter Port: {port} is not between {min} and {max}"
            )),
            "{body}"
        );
    }
    let mut conn = s.state.inventory.get().unwrap();
    let rows: i64 = cornac_inventory::schema::db_instances::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 0, "nothing is stored");
    let inside = max.to_string();
    let (status, body) = call!(app, s, &create_params("p1", &[("Port", &inside)]));
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&format!("<DbInstancePort>{max}</DbInstancePort>")),
        "{body}"
    );
}

/// postgraas with a worker and the local provider: a non-ASCII password logs in through
/// libpq (the verifier is of its SASLprep form), control characters are refused, wrong
/// DELETE guesses are slowed and counted, and deletion protection refuses a delete (409).
#[actix_web::test]
async fn postgraas_passwords_guesses_and_deletion_protection() {
    use cornac_inventory::instances::{self, Changes};
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .unwrap();
    let s = setup(40);
    let state_dir = cornac_test_support::state_dir();
    let provider = cornac_providers::LocalProvider::new(
        cornac_test_support::local_settings(),
        state_dir.path(),
    )
    .unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = cornac_jobs::Worker {
        inventory: s.state.inventory.clone(),
        inventory_url: s.cluster.url(),
        provider: Arc::new(provider),
        settings: cornac_jobs::WorkerSettings {
            poll_secs: 1,
            ..Default::default()
        },
        name: "w1".into(),
    };
    let running = tokio::spawn(worker.run(stopped));
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(s.state.clone()))
            .configure(cornac_api::postgraas::routes),
    )
    .await;
    let path = "/api/v2/postgraas_instances";
    let create = |password: &str| {
        test::TestRequest::post()
            .uri(path)
            .set_json(serde_json::json!({
                "postgraas_instance_name": "pg-uni", "db_name": "unidb",
                "db_username": "uni", "db_pwd": password,
            }))
    };
    for bad in ["nul\0byte", "esc\x1b[0m", "bell\x07"] {
        let resp = test::call_service(&app, create(bad).to_request()).await;
        assert_eq!(resp.status().as_u16(), 400);
        let body: serde_json::Value = test::read_body_json(resp).await;
        assert!(body["msg"].as_str().unwrap().contains("db_pwd"), "{body}");
    }
    let password = "Pässwörd-Ⅸ";
    let resp = test::call_service(&app, create(password).to_request()).await;
    assert_eq!(resp.status().as_u16(), 201);
    let created: serde_json::Value = test::read_body_json(resp).await;
    let url = format!(
        "host=127.0.0.1 port={} user=uni password={password} dbname=unidb",
        created["port"]
    );
    let login = web::block(move || PgConnection::establish(&url).map(drop))
        .await
        .unwrap();
    assert!(login.is_ok(), "libpq logs in with the password: {login:?}");

    let id = created["postgraas_instance_id"].as_i64().unwrap();
    let one = format!("{path}/{id}");
    let delete = |password: &str| {
        test::TestRequest::delete()
            .uri(&one)
            .set_json(serde_json::json!({ "db_pwd": password }))
            .to_request()
    };
    let status = |resp: actix_web::dev::ServiceResponse| resp.status().as_u16();
    assert_eq!(
        status(test::call_service(&app, delete("Passwörd-IX")).await),
        401
    );
    // The next guess, even the right one, waits: 429, without trying the password.
    let resp = test::call_service(&app, delete(password)).await;
    assert_eq!(resp.status().as_u16(), 429);
    let body: serde_json::Value = test::read_body_json(resp).await;
    assert!(
        body["msg"].as_str().unwrap().contains("try again in"),
        "{body}"
    );
    let rendered = metrics.render();
    for result in ["wrong", "throttled"] {
        assert!(
            rendered.contains(&format!(
                "cornac_postgraas_delete_password_failures_total{{result=\"{result}\"}} 1"
            )),
            "{rendered}"
        );
    }
    // Deletion protection on: the right password is still refused, with 409 and a message.
    let mut conn = s.state.inventory.get().unwrap();
    let protect = |on: bool| Changes {
        deletion_protection: Some(on),
        ..Changes::default()
    };
    instances::update(&mut conn, id, &protect(true)).unwrap();
    // Past the first wait after one wrong guess (1 s).
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    let resp = test::call_service(&app, delete(password)).await;
    assert_eq!(resp.status().as_u16(), 409);
    let body: serde_json::Value = test::read_body_json(resp).await;
    assert!(
        body["msg"]
            .as_str()
            .unwrap()
            .contains("deletion protection"),
        "{body}"
    );
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert_eq!(row.status, "available", "nothing changed");
    // Off again: the right password deletes it.
    instances::update(&mut conn, id, &protect(false)).unwrap();
    assert_eq!(
        status(test::call_service(&app, delete(password)).await),
        200
    );
    assert!(instances::get(&mut conn, id).unwrap().is_none());
    stop.send(true).unwrap();
    running.await.unwrap();
}
