//! `CreateDBInstance`: what one records (status, event and job in one transaction), and every
//! validation failure naming its parameter, ports included.

use crate::common::*;
use diesel::prelude::*;

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
