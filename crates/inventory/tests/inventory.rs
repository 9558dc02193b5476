//! The inventory against a real PostgreSQL cluster: migrations, instances, events, credentials.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_inventory::credentials::{self, AccessKey, EncryptionKey};
use cornac_inventory::instances::{self, NewDbInstance};
use cornac_inventory::{events, migrations};
use cornac_test_support::TestCluster;
use diesel::prelude::*;
use secrecy::ExposeSecret;

fn migrated(cluster: &TestCluster) -> PgConnection {
    let mut conn = cornac_inventory::connect(&cluster.url()).unwrap();
    migrations::run_pending(&mut conn).unwrap();
    conn
}

#[test]
fn migrations_apply_revert_and_apply_again() {
    let cluster = TestCluster::start();
    let mut conn = cornac_inventory::connect(&cluster.url()).unwrap();
    assert!(!migrations::pending(&mut conn).unwrap().is_empty());
    let applied = migrations::run_pending(&mut conn).unwrap();
    assert!(!applied.is_empty());
    assert!(migrations::pending(&mut conn).unwrap().is_empty());
    assert_eq!(
        migrations::revert_all(&mut conn).unwrap().len(),
        applied.len()
    );
    let tables: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations')",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(tables, 0, "revert leaves no table behind");
    assert_eq!(migrations::run_pending(&mut conn).unwrap(), applied);
}

fn sample<'a>(identifier: &'a str, resource_id: &'a str) -> NewDbInstance<'a> {
    NewDbInstance {
        identifier,
        resource_id,
        arn: "arn:aws:rds:local:000000000000:db:x",
        status: "creating",
        instance_class: "db.t3.micro",
        engine: "postgres",
        engine_version: "15.18",
        allocated_storage: 5,
        master_username: "alice",
        master_password_verifier: "SCRAM-SHA-256$4096:c2FsdA==$a:b",
        db_name: Some("app"),
        requested_port: None,
        endpoint_address: None,
        endpoint_port: None,
        deletion_protection: false,
        backup_retention_period: 1,
        provider: "local",
    }
}

#[test]
fn instances_and_events() {
    let cluster = TestCluster::start();
    let mut conn = migrated(&cluster);
    let row =
        instances::insert(&mut conn, &sample("db1", "db-AAAAAAAAAAAAAAAAAAAAAAAAAA")).unwrap();
    assert_eq!(row.status(), Some(cornac_domain::InstanceStatus::Creating));
    assert!(
        instances::insert(&mut conn, &sample("db1", "db-BBBBBBBBBBBBBBBBBBBBBBBBBB")).is_err(),
        "identifiers are unique"
    );
    let mut bad = sample("db2", "db-CCCCCCCCCCCCCCCCCCCCCCCCCC");
    bad.master_password_verifier = "plain-text-password";
    assert!(
        instances::insert(&mut conn, &bad).is_err(),
        "only verifiers are stored"
    );
    let mut bad = sample("db3", "db-DDDDDDDDDDDDDDDDDDDDDDDDDD");
    bad.status = "running";
    assert!(
        instances::insert(&mut conn, &bad).is_err(),
        "only AWS status strings"
    );

    let endpoint = cornac_domain::Endpoint {
        address: "127.0.0.1".into(),
        port: 5999,
    };
    instances::set_endpoint(&mut conn, row.id, &endpoint).unwrap();
    let found = instances::find(&mut conn, "db1").unwrap().unwrap();
    assert_eq!(found.endpoint_port, Some(5999));
    assert!(instances::find(&mut conn, "nope").unwrap().is_none());

    events::record(
        &mut conn,
        "db1",
        &row.arn,
        "creation",
        "DB instance created",
    )
    .unwrap();
    let listed = events::for_source(&mut conn, "db1").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].categories, vec!["creation".to_owned()]);
}

#[test]
fn credentials_are_stored_encrypted() {
    let cluster = TestCluster::start();
    let mut conn = migrated(&cluster);
    let key_text = EncryptionKey::generate();
    let key = EncryptionKey::parse(key_text.expose_secret()).unwrap();
    let access = AccessKey::generate();
    assert!(access.id.starts_with("AKIA") && access.id.len() == 20);
    assert_eq!(access.secret.expose_secret().len(), 40);
    assert!(!format!("{access:?}").contains(access.secret.expose_secret()));
    credentials::save(&mut conn, &key, &access, "test").unwrap();

    let stored: Vec<u8> = cornac_inventory::schema::access_keys::table
        .select(cornac_inventory::schema::access_keys::secret_ciphertext)
        .first(&mut conn)
        .unwrap();
    let secret = access.secret.expose_secret().as_bytes();
    assert!(
        !stored.windows(secret.len()).any(|w| w == secret),
        "no plain text at rest"
    );

    let back = credentials::secret_for(&mut conn, &key, &access.id)
        .unwrap()
        .unwrap();
    assert_eq!(back.expose_secret(), access.secret.expose_secret());
    assert!(credentials::secret_for(&mut conn, &key, "AKIAUNKNOWN")
        .unwrap()
        .is_none());
    let other = EncryptionKey::parse(EncryptionKey::generate().expose_secret()).unwrap();
    assert!(
        credentials::secret_for(&mut conn, &other, &access.id).is_err(),
        "a wrong key cannot decrypt"
    );
    assert_eq!(
        credentials::list_ids(&mut conn).unwrap(),
        vec![access.id.clone()]
    );
    assert!(EncryptionKey::parse("short").is_err());
}

/// An inventory row an older version registered as `cornac` (perhaps left `stopping` by its
/// API) becomes a system instance, available again, when the migration runs; other rows stay
/// ordinary, and system rows are never listed.
#[test]
fn the_migration_marks_the_inventory_an_older_version_registered() {
    let cluster = TestCluster::start();
    let mut conn = migrated(&cluster);
    diesel::sql_query(include_str!(
        "../../../migrations/2026-12-01-000005_system_instances/down.sql"
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = '20261201000005'")
        .execute(&mut conn)
        .unwrap();
    for (identifier, status) in [("cornac", "stopping"), ("shop", "available")] {
        diesel::sql_query(format!(
            "INSERT INTO db_instances (identifier, resource_id, arn, status, instance_class, \
             engine, engine_version, allocated_storage, master_username, \
             master_password_verifier, provider) VALUES ('{identifier}', 'db-{identifier}', \
             'arn:aws:rds:local:000000000000:db:{identifier}', '{status}', 'db.t3.micro', \
             'postgres', '15.18', 1, 'cornac', 'SCRAM-SHA-256$4096:c2FsdA==$a:b', 'local')"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    assert_eq!(migrations::run_pending(&mut conn).unwrap().len(), 1);
    let inventory = instances::find(&mut conn, "cornac").unwrap().unwrap();
    assert!(inventory.system);
    assert_eq!(inventory.status, "available");
    assert!(inventory
        .system_refusal()
        .unwrap()
        .contains("Cornac's inventory"));
    let shop = instances::find(&mut conn, "shop").unwrap().unwrap();
    assert!(!shop.system && shop.system_refusal().is_none());
    let listed = instances::list(&mut conn, &Default::default(), None, 100).unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|r| r.identifier.as_str())
            .collect::<Vec<_>>(),
        ["shop"]
    );
    // Bootstrap marks by resource id (a renamed inventory too), once.
    assert!(instances::mark_system(&mut conn, "db-shop").unwrap());
    assert!(!instances::mark_system(&mut conn, "db-shop").unwrap());
    assert!(instances::list(&mut conn, &Default::default(), None, 100)
        .unwrap()
        .is_empty());
}
