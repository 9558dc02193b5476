//! pgcluster's backups against a real shared server: dumps with the real `pg_dump`, kept on the
//! host, loaded into new instances with the real `pg_restore`; what a crash mid-way leaves.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::backups::{count, dumps_of, from, rows, run, source, text};
use common::shared::{shared, Shared};
use common::{connect, spec};

use cornac_domain::{
    BackupKey, InstanceSpec, ObservedState, Provider, ProviderError, ResourceId, RestorePoint,
    RestoreSource,
};
use std::os::unix::fs::{MetadataExt, PermissionsExt};

#[test]
fn restore_has_exactly_the_rows_of_the_dump_owned_by_the_new_master() {
    let s = shared();
    let a = source(&s);
    let key = BackupKey::generate();
    s.provider.backup(&a.resource_id, &key).unwrap();
    let dump = dumps_of(&s, &a.resource_id).join(format!("{key}.dump"));
    let meta = std::fs::metadata(&dump).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(dumps_of(&s, &a.resource_id))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    s.provider.backup(&a.resource_id, &key).unwrap();
    assert_eq!(
        std::fs::metadata(&dump).unwrap().ino(),
        meta.ino(),
        "a finished dump is kept"
    );
    let mut source_conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    run(&mut source_conn, "INSERT INTO items (n) VALUES (4), (5)");
    drop(source_conn);

    // Another master (the source still holds alice's name on the shared server).
    let b = spec("bob", "bob-pw-123", Some("shop_copy"));
    let endpoint = s.provider.restore(&b, &from(&a, &key)).unwrap();
    assert_eq!(endpoint.port, s.port);
    let mut conn = connect(s.port, "bob", "bob-pw-123", "shop_copy").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3");
    assert_eq!(
        text(&mut conn, "(SELECT string_agg(n::text, ',') FROM big)"),
        "2,3"
    );
    assert_eq!(
        text(&mut conn, "obj_description('items'::regclass, 'pg_class')"),
        "the first rows"
    );
    assert_eq!(
        count(
            &mut conn,
            "(SELECT count(*) FROM ( \
               SELECT 'pg_namespace'::regclass AS catalog, oid, nspowner AS owner, oid AS nsp \
               FROM pg_namespace WHERE nspname <> 'public' \
               UNION ALL SELECT 'pg_class'::regclass, oid, relowner, relnamespace FROM pg_class \
               UNION ALL SELECT 'pg_proc'::regclass, oid, proowner, pronamespace FROM pg_proc \
               UNION ALL SELECT 'pg_type'::regclass, oid, typowner, typnamespace FROM pg_type \
             ) o WHERE owner <> 'bob'::regrole \
             AND nsp NOT IN (SELECT oid FROM pg_namespace WHERE nspname LIKE 'pg\\_%' \
               OR nspname IN ('information_schema', '_cornac')) \
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.catalog \
               AND d.objid = o.oid AND d.deptype = 'e'))"
        ),
        0,
        "everything restored (schemas, relations, functions, types) is the new master's, \
         but extensions' members and what the template gave"
    );
    assert_eq!(
        text(
            &mut conn,
            "(SELECT note || ' ' || pg_get_userbyid(c.relowner) FROM app.notes, pg_class c \
             WHERE c.oid = 'app.notes'::regclass)"
        ),
        "kept bob",
        "the tenant's own schemas come along"
    );
    assert_eq!(
        text(
            &mut conn,
            "(SELECT app.twice(21)::text || ' ' || 'fine'::app.mood::text || ' ' || \
             pg_get_userbyid(p.proowner) || ' ' || pg_get_userbyid(t.typowner) \
             FROM pg_proc p, pg_type t \
             WHERE p.oid = 'app.twice'::regproc AND t.oid = 'app.mood'::regtype)"
        ),
        "42 fine bob bob"
    );
    assert_eq!(
        text(
            &mut conn,
            "convert_from(lo_get(4242), 'UTF8') || ' ' || \
             (SELECT pg_get_userbyid(lomowner) FROM pg_largeobject_metadata WHERE oid = 4242)"
        ),
        "a large object bob",
        "large objects come along"
    );
    assert_eq!(
        text(
            &mut conn,
            "(SELECT pg_get_userbyid(nspowner)::text FROM pg_namespace WHERE nspname = '_cornac')"
        ),
        "postgres",
        "a schema the server's template1 gives is the template's, not the dump's"
    );
    assert_eq!(
        text(&mut conn, "encode(digest('x', 'sha1'), 'hex')"),
        "11f6ad8ec52a2984abaafd7c3b516503785c2072",
        "the tenant's extension is there"
    );
    run(&mut conn, "INSERT INTO items (n) VALUES (6)");
    assert!(connect(s.port, "alice", "alice-pw-1", "shop_copy").is_err());
    drop(conn);

    assert_eq!(
        s.provider.restore(&b, &from(&a, &key)).unwrap(),
        endpoint,
        "a retried restore of a finished one changes nothing"
    );
    let mut conn = connect(s.port, "bob", "bob-pw-123", "shop_copy").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3,6");
    drop(conn);

    // The source goes; its dump stays, and restores under the source's own names.
    s.provider.delete(&a.resource_id).unwrap();
    assert!(dump.is_file(), "deleting the instance keeps its dump");
    let c = spec("alice", "alice-pw-2", Some("shop"));
    s.provider.restore(&c, &from(&a, &key)).unwrap();
    assert!(connect(s.port, "alice", "alice-pw-1", "shop").is_err());
    let mut conn = connect(s.port, "alice", "alice-pw-2", "shop").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3");
    drop(conn);
    assert_eq!(
        s.provider.inspect(&c.resource_id).unwrap(),
        ObservedState::Running(endpoint)
    );
    let mut listed = s.provider.list().unwrap();
    listed.sort();
    let mut expected = vec![b.resource_id.clone(), c.resource_id.clone()];
    expected.sort();
    assert_eq!(listed, expected);

    s.provider.delete_backup(&a.resource_id, &key).unwrap();
    assert!(
        !dumps_of(&s, &a.resource_id).exists(),
        "the last backup's directory goes with it"
    );
    s.provider.delete_backup(&a.resource_id, &key).unwrap();
    s.provider.delete(&b.resource_id).unwrap();
    s.provider.delete(&c.resource_id).unwrap();
}

#[test]
fn a_leftover_partial_dump_is_made_again() {
    let s = shared();
    let a = source(&s);
    let key = BackupKey::generate();
    let dir = dumps_of(&s, &a.resource_id);
    std::fs::create_dir_all(&dir).unwrap();
    let partial = dir.join(format!("{key}.dump.partial"));
    std::fs::write(&partial, b"half a dump").unwrap();
    let b = spec("bob", "bob-pw-123", None);
    let err = s.provider.restore(&b, &from(&a, &key)).unwrap_err();
    assert!(
        matches!(err, ProviderError::Permanent(ref m) if m.contains("does not exist")),
        "a partial dump is no backup: {err}"
    );
    s.provider.backup(&a.resource_id, &key).unwrap();
    assert!(!partial.exists());
    s.provider.restore(&b, &from(&a, &key)).unwrap();
    let mut conn = connect(s.port, "bob", "bob-pw-123", "bob").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3");
    drop(conn);

    // A partial dump of a backup deleted before it finished goes with it.
    let other = BackupKey::generate();
    std::fs::write(dir.join(format!("{other}.dump.partial")), b"half").unwrap();
    s.provider.delete_backup(&a.resource_id, &key).unwrap();
    s.provider.delete_backup(&a.resource_id, &other).unwrap();
    assert!(!dir.exists());
    s.provider.delete(&a.resource_id).unwrap();
    s.provider.delete(&b.resource_id).unwrap();
}

/// What a restore killed in the middle of its load leaves: the role, and a database still
/// marked as loading with part of the data in it.
fn half_restored(s: &Shared, target: &InstanceSpec, database: &str) {
    let mut admin = connect(s.port, "admin", "admin-pw", "admin").unwrap();
    let id = &target.resource_id;
    for statement in [
        "CREATE ROLE bob LOGIN PASSWORD 'old-one-time'".to_owned(),
        format!("COMMENT ON ROLE bob IS 'cornac:{id}'"),
        "GRANT bob TO CURRENT_USER".to_owned(),
        format!("CREATE DATABASE {database} OWNER bob"),
        format!("COMMENT ON DATABASE {database} IS 'cornac-loading:{id}'"),
    ] {
        run(&mut admin, &statement);
    }
    let mut conn = connect(s.port, "bob", "old-one-time", database).unwrap();
    run(&mut conn, "CREATE TABLE items (id int, n int)");
    run(&mut conn, "INSERT INTO items VALUES (1, 1), (9, 9)");
}

#[test]
fn a_half_loaded_restore_starts_the_database_again() {
    let s = shared();
    let a = source(&s);
    let key = BackupKey::generate();
    s.provider.backup(&a.resource_id, &key).unwrap();

    let b = spec("bob", "bob-pw-123", Some("shop_copy"));
    half_restored(&s, &b, "shop_copy");
    assert_eq!(
        s.provider.inspect(&b.resource_id).unwrap(),
        ObservedState::Missing,
        "a half-loaded restore is no instance"
    );
    assert_eq!(s.provider.list().unwrap(), vec![a.resource_id.clone()]);
    s.provider.restore(&b, &from(&a, &key)).unwrap();
    assert!(connect(s.port, "bob", "old-one-time", "shop_copy").is_err());
    let mut conn = connect(s.port, "bob", "bob-pw-123", "shop_copy").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3");
    drop(conn);
    s.provider.delete(&b.resource_id).unwrap();

    // A half-loaded restore that is given up is deleted whole.
    let c = spec("bob", "bob-pw-123", Some("shop_half"));
    half_restored(&s, &c, "shop_half");
    s.provider.delete(&c.resource_id).unwrap();
    let mut admin = connect(s.port, "admin", "admin-pw", "admin").unwrap();
    assert_eq!(
        count(
            &mut admin,
            "(SELECT count(*) FROM pg_database WHERE datname = 'shop_half') + \
             (SELECT count(*) FROM pg_roles WHERE rolname = 'bob')"
        ),
        0
    );

    // So is a role whose database a crash kept from being made.
    let d = spec("dora", "dora-pw-123", None);
    let id = &d.resource_id;
    run(&mut admin, "CREATE ROLE dora LOGIN");
    run(
        &mut admin,
        &format!("COMMENT ON ROLE dora IS 'cornac:{id}'"),
    );
    run(&mut admin, "CREATE ROLE eve LOGIN");
    s.provider.delete(id).unwrap();
    assert_eq!(
        text(
            &mut admin,
            "(SELECT coalesce(string_agg(rolname, ','), '') FROM pg_roles \
             WHERE rolname IN ('dora', 'eve'))"
        ),
        "eve",
        "only the role with the instance's marker goes"
    );
    s.provider.delete(&a.resource_id).unwrap();
    s.provider.delete_backup(&a.resource_id, &key).unwrap();
}

#[test]
fn no_point_in_time_on_a_shared_server() {
    let s = shared();
    let a = source(&s);
    assert!(!s.provider.point_in_time());
    assert_eq!(s.provider.restorable_window(&a.resource_id).unwrap(), None);
    s.provider.set_archiving(&a.resource_id, false).unwrap();
    let refusals = [
        s.provider.set_archiving(&a.resource_id, true).unwrap_err(),
        s.provider
            .restore(
                &spec("bob", "bob-pw-123", None),
                &RestoreSource {
                    instance: a.resource_id.clone(),
                    point: RestorePoint::Latest,
                },
            )
            .unwrap_err(),
    ];
    for err in refusals {
        assert_eq!(
            err.to_string(),
            "the pgcluster provider cannot restore to a point in time: a shared server has no \
             per-database WAL"
        );
    }
    let missing = ResourceId::generate();
    assert_eq!(
        s.provider.backup(&missing, &BackupKey::generate()),
        Err(ProviderError::NotFound(missing))
    );
    s.provider.delete(&a.resource_id).unwrap();
}
