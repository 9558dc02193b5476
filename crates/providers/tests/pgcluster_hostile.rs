//! pgcluster's backups against a hostile tenant and a server its operator set up: nothing of the
//! tenant's runs as the admin, and a restore loads the tenant's objects alone.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::backups::{count, from, rows, run, source, text};
use common::shared::shared;
use common::{connect, spec};

use cornac_domain::{BackupKey, ObservedState, Provider, ProviderError};

#[test]
fn a_tenant_cannot_run_code_as_the_admin_during_a_backup() {
    let s = shared();
    let a = source(&s);
    let mut conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    // Stand-ins for what an admin session would call unqualified, each noting who ran it.
    for statement in [
        "CREATE TABLE ran (who text)",
        "GRANT INSERT ON ran TO PUBLIC",
        "CREATE SCHEMA evil",
        "GRANT USAGE ON SCHEMA evil TO PUBLIC",
        "CREATE FUNCTION evil.current_database() RETURNS name LANGUAGE sql \
         AS $$ INSERT INTO public.ran VALUES (session_user); SELECT 'shop'::name $$",
        "CREATE FUNCTION evil.ne(oid, oid) RETURNS bool LANGUAGE sql \
         AS $$ INSERT INTO public.ran VALUES (session_user); SELECT $1 OPERATOR(pg_catalog.<>) $2 $$",
        "CREATE OPERATOR evil.<> (LEFTARG = oid, RIGHTARG = oid, FUNCTION = evil.ne)",
        "ALTER DATABASE shop SET search_path = evil, pg_catalog, public",
    ] {
        run(&mut conn, statement);
    }
    drop(conn);
    let key = BackupKey::generate();
    s.provider.backup(&a.resource_id, &key).unwrap();
    let mut conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    assert_eq!(
        text(
            &mut conn,
            "(SELECT coalesce(string_agg(who, ','), '') FROM public.ran)"
        ),
        "",
        "nothing of the tenant's ran during the backup"
    );
    drop(conn);

    let b = spec("bob", "bob-pw-123", Some("shop_copy"));
    s.provider.restore(&b, &from(&a, &key)).unwrap();
    let mut conn = connect(s.port, "bob", "bob-pw-123", "shop_copy").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3");
    drop(conn);
    s.provider.delete(&b.resource_id).unwrap();

    // A policy forced on the owner would run as the admin: the dump refuses for good instead.
    let mut conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    for statement in [
        "ALTER TABLE items ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE items FORCE ROW LEVEL SECURITY",
        "CREATE POLICY noted ON items USING (evil.ne(0, 1))",
    ] {
        run(&mut conn, statement);
    }
    let err = s
        .provider
        .backup(&a.resource_id, &BackupKey::generate())
        .unwrap_err();
    assert!(
        matches!(err, ProviderError::Permanent(ref m) if m.contains("row-level security")),
        "{err}"
    );
    assert_eq!(
        text(
            &mut conn,
            "(SELECT coalesce(string_agg(who, ','), '') FROM public.ran WHERE who <> 'alice')"
        ),
        "",
        "the tenant's policy did not run as the admin"
    );
    drop(conn);
    s.provider.delete(&a.resource_id).unwrap();
    s.provider.delete_backup(&a.resource_id, &key).unwrap();
}

/// How many rows of `catalog` have `name` in `column`.
fn present(conn: &mut diesel::pg::PgConnection, catalog: &str, column: &str, name: &str) -> i64 {
    count(
        conn,
        &format!("(SELECT count(*) FROM {catalog} WHERE {column} = '{name}')"),
    )
}

#[test]
fn a_restore_leaves_the_servers_and_its_operators_objects_out() {
    let s = shared();
    // What an operator may give every database, and an admin may make in a tenant's.
    s.as_operator(
        "template1",
        "CREATE EXTENSION pg_stat_statements; \
         CREATE FUNCTION public.audit() RETURNS event_trigger LANGUAGE plpgsql \
         AS $$ BEGIN END $$; \
         CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION public.audit()",
    );
    let a = source(&s);
    let mut admin = connect(s.port, "admin", "admin-pw", "shop").unwrap();
    run(&mut admin, "CREATE TABLE public.made_by_admin (x int)");
    drop(admin);
    let key = BackupKey::generate();
    s.provider.backup(&a.resource_id, &key).unwrap();

    let b = spec("bob", "bob-pw-123", Some("shop_copy"));
    s.provider.restore(&b, &from(&a, &key)).unwrap();
    let mut conn = connect(s.port, "bob", "bob-pw-123", "shop_copy").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3");
    assert_eq!(
        present(&mut conn, "pg_extension", "extname", "pg_stat_statements"),
        1,
        "the template's extension is the new database's own"
    );
    assert_eq!(
        present(&mut conn, "pg_event_trigger", "evtname", "audit"),
        1
    );
    assert_eq!(
        present(&mut conn, "pg_class", "relname", "made_by_admin"),
        0
    );
    assert_eq!(
        text(&mut conn, "encode(digest('x', 'sha1'), 'hex')"),
        "11f6ad8ec52a2984abaafd7c3b516503785c2072",
        "the tenant's extension is there"
    );
    drop(conn);
    s.provider.delete(&b.resource_id).unwrap();

    // An extension only a superuser may make, in the tenant's database alone: the new master
    // cannot make it, and trying again would not help.
    s.as_operator("shop", "CREATE EXTENSION dblink");
    let other = BackupKey::generate();
    s.provider.backup(&a.resource_id, &other).unwrap();
    let c = spec("carol", "carol-pw-123", Some("shop_trgm"));
    let err = s.provider.restore(&c, &from(&a, &other)).unwrap_err();
    assert!(
        matches!(err, ProviderError::Permanent(ref m) if m.contains("dblink")),
        "a restore that would fail the same way again is permanent: {err}"
    );
    s.provider.delete(&c.resource_id).unwrap();
    s.provider.delete(&a.resource_id).unwrap();
    s.provider.delete_backup(&a.resource_id, &key).unwrap();
    s.provider.delete_backup(&a.resource_id, &other).unwrap();
}

#[test]
fn a_tenant_cannot_forge_cornacs_markers() {
    let s = shared();
    let a = source(&s);
    let key = BackupKey::generate();
    s.provider.backup(&a.resource_id, &key).unwrap();
    // Alice's database claims to be another instance, then one being restored.
    let c = spec("carol", "carol-pw-123", Some("shop_c"));
    let mut conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    run(
        &mut conn,
        &format!("COMMENT ON DATABASE shop IS 'cornac:{}'", c.resource_id),
    );
    assert_eq!(
        s.provider.inspect(&c.resource_id).unwrap(),
        ObservedState::Missing
    );
    assert!(!s.provider.list().unwrap().contains(&c.resource_id));
    run(
        &mut conn,
        &format!(
            "COMMENT ON DATABASE shop IS 'cornac-loading:{}'",
            c.resource_id
        ),
    );
    drop(conn);
    s.provider.restore(&c, &from(&a, &key)).unwrap();
    s.provider.delete(&c.resource_id).unwrap();
    let mut conn = connect(s.port, "alice", "alice-pw-1", "shop").unwrap();
    assert_eq!(rows(&mut conn), "1,2,3", "alice's database is untouched");
    run(
        &mut conn,
        &format!("COMMENT ON DATABASE shop IS 'cornac:{}'", a.resource_id),
    );
    drop(conn);
    s.provider.delete(&a.resource_id).unwrap();
    s.provider.delete_backup(&a.resource_id, &key).unwrap();
}
