//! The inventory against a real PostgreSQL cluster: migrations, instances, events, credentials.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_domain::{
    DbName, EventCategory, InstanceIdentifier, InstanceSpec, InstanceStatus, MasterUsername,
    NewInstance, ProviderKind, ResourceId, ScramVerifier,
};
use cornac_inventory::credentials::{self, AccessKey, EncryptionKey};
use cornac_inventory::instances::{self, Placement};
use cornac_inventory::{events, migrations, tags, PgConnection};
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

fn sample(identifier: &str, resource_id: &str) -> NewInstance {
    NewInstance {
        identifier: InstanceIdentifier::parse(identifier).unwrap(),
        spec: InstanceSpec {
            resource_id: ResourceId::parse(resource_id).unwrap(),
            engine_version: "15.18".into(),
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 5,
            master_username: MasterUsername::parse("alice").unwrap(),
            master_password: ScramVerifier::new("alice-secret"),
            db_name: Some(DbName::parse("app").unwrap()),
            port: None,
        },
        deletion_protection: false,
        backup_retention_days: 1,
        backup_window: cornac_domain::BackupWindow::DEFAULT,
        copy_tags_to_snapshot: false,
        tags: vec![("team".into(), "db".into())],
    }
}

const PLACEMENT: Placement<'static> = Placement {
    account_id: cornac_inventory::accounts::DEFAULT,
    arn: "arn:aws:rds:local:000000000000:db:x",
    provider: ProviderKind::Local,
    status: InstanceStatus::Creating,
    endpoint: None,
    system: false,
    restore: None,
};

/// An insert of raw column values, as no typed caller could write them.
fn raw_insert(conn: &mut PgConnection, status: &str, verifier: &str, provider: &str) -> bool {
    diesel::sql_query(format!(
        "INSERT INTO db_instances (account_id, identifier, resource_id, arn, status, instance_class, \
         engine, engine_version, allocated_storage, master_username, \
         master_password_verifier, provider) VALUES ('000000000000', 'raw', 'db-RAW', 'arn', '{status}', \
         'db.t3.micro', 'postgres', '15.18', 1, 'alice', '{verifier}', '{provider}')"
    ))
    .execute(conn)
    .is_ok()
}

#[test]
fn instances_and_events() {
    let cluster = TestCluster::start();
    let mut conn = migrated(&cluster);
    let new = sample("db1", "db-AAAAAAAAAAAAAAAAAAAAAAAAAA");
    let row = instances::insert(&mut conn, &new, PLACEMENT).unwrap();
    assert_eq!(row.status, InstanceStatus::Creating);
    assert_eq!(row.provider, ProviderKind::Local);
    assert_eq!(
        tags::list(&mut conn, tags::Owner::instance(row.id)).unwrap(),
        new.tags,
        "the tags go in with the row"
    );
    let spec = row.spec().unwrap();
    assert_eq!(
        (spec.resource_id, spec.allocated_storage_gib, spec.db_name),
        (new.spec.resource_id.clone(), 5, new.spec.db_name.clone()),
        "the provider's spec reads back from the row"
    );
    assert!(
        instances::insert(
            &mut conn,
            &sample("db1", "db-BBBBBBBBBBBBBBBBBBBBBBBBBB"),
            PLACEMENT
        )
        .is_err(),
        "identifiers are unique"
    );
    let good = "SCRAM-SHA-256$4096:c2FsdA==$a:b";
    assert!(
        !raw_insert(&mut conn, "creating", "plain-text-password", "local"),
        "only verifiers are stored"
    );
    assert!(
        !raw_insert(&mut conn, "running", good, "local"),
        "only AWS status strings"
    );
    assert!(
        !raw_insert(&mut conn, "creating", good, "vmware"),
        "only provider kinds"
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
        cornac_inventory::accounts::DEFAULT,
        cornac_domain::SourceType::DbInstance,
        "db1",
        &row.arn,
        EventCategory::Creation,
        "DB instance created",
    )
    .unwrap();
    let listed = events::for_source(&mut conn, "db1").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].categories, vec![EventCategory::Creation]);
    assert!(
        diesel::sql_query(
            "INSERT INTO events (account_id, source_identifier, message, categories) \
             VALUES ('000000000000', 'db1', 'x', '{creation,typo}')"
        )
        .execute(&mut conn)
        .is_err(),
        "only known event categories"
    );
}

/// Rows an older version wrote read back typed once migration 000006 ran: their statuses,
/// categories and provider kinds are the texts the enums map to, and provider_data is gone.
#[test]
fn the_typing_migration_keeps_existing_rows() {
    let cluster = TestCluster::start();
    let mut conn = migrated(&cluster);
    // Back to before the typing migration: the snapshots' migration first.
    for (down, version) in [
        (
            include_str!("../../../migrations/2026-12-01-000007_snapshots/down.sql"),
            "20261201000007",
        ),
        (
            include_str!("../../../migrations/2026-12-01-000006_lifecycle_types/down.sql"),
            "20261201000006",
        ),
    ] {
        diesel::connection::SimpleConnection::batch_execute(&mut conn, down).unwrap();
        diesel::sql_query(format!(
            "DELETE FROM __diesel_schema_migrations WHERE version = '{version}'"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    // What the schema knew then.
    let statuses: Vec<InstanceStatus> = InstanceStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != InstanceStatus::BackingUp)
        .collect();
    let known: Vec<EventCategory> = EventCategory::ALL
        .iter()
        .copied()
        .filter(|c| *c != EventCategory::Backup)
        .collect();
    for (i, &status) in statuses.iter().enumerate() {
        let provider = ProviderKind::ALL[i % ProviderKind::ALL.len()];
        diesel::sql_query(format!(
            "INSERT INTO db_instances (account_id, identifier, resource_id, arn, status, instance_class, \
             engine, engine_version, allocated_storage, master_username, \
             master_password_verifier, provider, provider_data) VALUES ('000000000000', 'old{i}', \
             'db-OLD{i:023}', 'arn', '{status}', 'db.t3.micro', 'postgres', '15.18', 1, \
             'alice', 'SCRAM-SHA-256$4096:c2FsdA==$a:b', '{provider}', '{{\"a\": 1}}')"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    for &category in &known {
        diesel::sql_query(format!(
            "INSERT INTO events (account_id, source_identifier, message, categories) \
             VALUES ('000000000000', 'old0', 'x', '{{\"{category}\"}}')"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    assert_eq!(migrations::run_pending(&mut conn).unwrap().len(), 2);
    for (i, &status) in statuses.iter().enumerate() {
        let row = instances::find(&mut conn, &format!("old{i}"))
            .unwrap()
            .unwrap();
        assert_eq!(row.status, status);
        assert_eq!(row.provider, ProviderKind::ALL[i % ProviderKind::ALL.len()]);
    }
    let categories: Vec<EventCategory> = events::for_source(&mut conn, "old0")
        .unwrap()
        .into_iter()
        .flat_map(|e| e.categories)
        .collect();
    assert_eq!(categories, known);
    let columns: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM information_schema.columns \
          WHERE table_name = 'db_instances' AND column_name = 'provider_data')",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(columns, 0, "provider_data is dropped");
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
    credentials::save(
        &mut conn,
        &key,
        &access,
        cornac_inventory::accounts::DEFAULT,
        None,
        "test",
    )
    .unwrap();

    let stored: Vec<u8> = cornac_inventory::schema::access_keys::table
        .select(cornac_inventory::schema::access_keys::secret_ciphertext)
        .first(&mut conn)
        .unwrap();
    let secret = access.secret.expose_secret().as_bytes();
    assert!(
        !stored.windows(secret.len()).any(|w| w == secret),
        "no plain text at rest"
    );

    let back = credentials::signer(&mut conn, &key, &access.id)
        .unwrap()
        .unwrap();
    assert_eq!(back.secret.expose_secret(), access.secret.expose_secret());
    assert_eq!(back.account_id, cornac_inventory::accounts::DEFAULT);
    assert!(credentials::signer(&mut conn, &key, "AKIAUNKNOWN")
        .unwrap()
        .is_none());
    let other = EncryptionKey::parse(EncryptionKey::generate().expose_secret()).unwrap();
    assert!(
        credentials::signer(&mut conn, &other, &access.id).is_err(),
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
            "INSERT INTO db_instances (account_id, identifier, resource_id, arn, status, instance_class, \
             engine, engine_version, allocated_storage, master_username, \
             master_password_verifier, provider) VALUES ('000000000000', '{identifier}', 'db-{identifier}', \
             'arn:aws:rds:local:000000000000:db:{identifier}', '{status}', 'db.t3.micro', \
             'postgres', '15.18', 1, 'cornac', 'SCRAM-SHA-256$4096:c2FsdA==$a:b', 'local')"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    assert_eq!(migrations::run_pending(&mut conn).unwrap().len(), 1);
    let inventory = instances::find(&mut conn, "cornac").unwrap().unwrap();
    assert!(inventory.system);
    assert_eq!(inventory.status, InstanceStatus::Available);
    assert!(inventory
        .system_refusal()
        .unwrap()
        .contains("Cornac's inventory"));
    let shop = instances::find(&mut conn, "shop").unwrap().unwrap();
    assert!(!shop.system && shop.system_refusal().is_none());
    let listed = instances::list(
        &mut conn,
        cornac_inventory::accounts::DEFAULT,
        &Default::default(),
        None,
        100,
    )
    .unwrap();
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
    assert!(instances::list(
        &mut conn,
        cornac_inventory::accounts::DEFAULT,
        &Default::default(),
        None,
        100
    )
    .unwrap()
    .is_empty());
}

#[test]
fn accounts_own_their_rows_and_keys() {
    use cornac_inventory::accounts;
    let cluster = TestCluster::start();
    let mut conn = migrated(&cluster);
    let names: Vec<String> = accounts::list(&mut conn)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["default", "system"]);
    let a = accounts::create(&mut conn, "shop").unwrap().unwrap();
    assert!(a.id.len() == 12 && a.id.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        accounts::create(&mut conn, "shop").unwrap().is_none(),
        "names are unique"
    );
    assert!(accounts::create(&mut conn, "bad name").is_err());

    // The same identifier in two accounts; each finds its own.
    let mine = Placement {
        account_id: &a.id,
        ..PLACEMENT
    };
    let theirs = instances::insert(
        &mut conn,
        &sample("db1", "db-AAAAAAAAAAAAAAAAAAAAAAAAAA"),
        PLACEMENT,
    )
    .unwrap();
    let ours = instances::insert(
        &mut conn,
        &sample("db1", "db-BBBBBBBBBBBBBBBBBBBBBBBBBB"),
        mine,
    )
    .unwrap();
    assert_ne!(theirs.id, ours.id);
    let found = instances::find_in(&mut conn, &a.id, "db1")
        .unwrap()
        .unwrap();
    assert_eq!(found.id, ours.id);
    assert!(instances::find_in(&mut conn, accounts::SYSTEM, "db1")
        .unwrap()
        .is_none());
    assert_eq!(instances::usage(&mut conn, &a.id).unwrap(), (1, 5));
    let listed = instances::list(&mut conn, &a.id, &Default::default(), None, 10).unwrap();
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), [ours.id]);

    // Keys: a key acts for its account until revoked; a system key never does.
    let key = EncryptionKey::parse(EncryptionKey::generate().expose_secret()).unwrap();
    let access = AccessKey::generate();
    credentials::save(&mut conn, &key, &access, &a.id, None, "root").unwrap();
    let signer = credentials::signer(&mut conn, &key, &access.id)
        .unwrap()
        .unwrap();
    assert_eq!(signer.account_id, a.id);
    assert_eq!(
        credentials::list(&mut conn, Some(&a.id), None)
            .unwrap()
            .len(),
        1
    );
    assert!(credentials::list(&mut conn, Some(accounts::DEFAULT), None)
        .unwrap()
        .is_empty());
    assert!(credentials::revoke(&mut conn, &access.id).unwrap());
    assert!(!credentials::revoke(&mut conn, &access.id).unwrap());
    assert!(credentials::signer(&mut conn, &key, &access.id)
        .unwrap()
        .is_none());
    assert!(!credentials::list(&mut conn, None, None).unwrap()[0].active);
    let system = AccessKey::generate();
    credentials::save(&mut conn, &key, &system, accounts::SYSTEM, None, "system").unwrap();
    assert!(credentials::signer(&mut conn, &key, &system.id)
        .unwrap()
        .is_none());

    // The configured id renames the default account, its rows following.
    assert!(accounts::adopt(&mut conn, "123456789012").unwrap());
    assert!(!accounts::adopt(&mut conn, "123456789012").unwrap());
    assert_eq!(
        instances::get(&mut conn, theirs.id)
            .unwrap()
            .unwrap()
            .account_id,
        "123456789012"
    );
    assert_eq!(accounts::first(&mut conn).unwrap().id, "123456789012");
    assert!(accounts::adopt(&mut conn, accounts::SYSTEM).is_err());
}
