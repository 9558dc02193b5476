//! The local provider against the real PostgreSQL server binaries of this host.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{as_superuser, assert_no_escape, connect, refused, settings, spec, state_dir};

use cornac_domain::{MasterPassword, ObservedState, Provider, ProviderError};
use cornac_providers::{LocalProvider, LocalSettings};
use diesel::pg::PgConnection;
use diesel::sql_types::Bool;
use diesel::RunQueryDsl;
use std::os::unix::fs::PermissionsExt;

fn query_bool(conn: &mut PgConnection, sql: &str) -> bool {
    diesel::select(diesel::dsl::sql::<Bool>(sql))
        .get_result(conn)
        .unwrap()
}

fn postgres_processes_under(dir: &std::path::Path) -> usize {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .filter(|cmd| String::from_utf8_lossy(cmd).contains(&needle))
        .count()
}

#[test]
fn full_lifecycle() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    assert!(provider.engine_versions().unwrap()[0].starts_with("15"));
    let spec = spec("alice", "S3cret-'pw", Some("shop"));
    let id = spec.resource_id.clone();

    let endpoint = provider.create(&spec).unwrap();
    assert_eq!(endpoint.address, "127.0.0.1");
    // Creating again (a retried job) changes nothing.
    assert_eq!(provider.create(&spec).unwrap(), endpoint);
    assert_eq!(
        provider.inspect(&id).unwrap(),
        ObservedState::Running(endpoint.clone())
    );

    let mut conn =
        connect(endpoint.port, "alice", "S3cret-'pw", "shop").expect("master user connects");
    assert!(!query_bool(
        &mut conn,
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    ));
    assert!(query_bool(
        &mut conn,
        "(SELECT rolcreatedb AND NOT rolcreaterole FROM pg_roles WHERE rolname = current_user)"
    ));
    assert!(query_bool(&mut conn, "(SELECT datdba = (SELECT oid FROM pg_roles WHERE rolname = 'alice') FROM pg_database WHERE datname = 'shop')"));
    diesel::sql_query("CREATE TABLE t (x int)")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    assert!(connect(endpoint.port, "alice", "wrong-password", "shop").is_err());
    assert!(
        connect(endpoint.port, "postgres", "", "postgres").is_err(),
        "no superuser over TCP"
    );

    provider.stop(&id).unwrap();
    assert_eq!(provider.inspect(&id).unwrap(), ObservedState::Stopped);
    assert!(connect(endpoint.port, "alice", "S3cret-'pw", "shop").is_err());
    provider.stop(&id).unwrap();
    assert_eq!(provider.start(&id).unwrap(), endpoint);
    assert_eq!(provider.reboot(&id).unwrap(), endpoint);

    let new = MasterPassword::parse("An0ther-pass").unwrap();
    provider
        .set_master_password(&id, &spec.master_username, &new.verifier())
        .unwrap();
    assert!(connect(endpoint.port, "alice", "S3cret-'pw", "shop").is_err());
    let mut conn = connect(endpoint.port, "alice", "An0ther-pass", "shop").unwrap();
    assert!(query_bool(
        &mut conn,
        "EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 't')"
    ));
    drop(conn);

    let dir = state.path().join("instances").join(id.slug());
    assert!(postgres_processes_under(&dir) > 0);
    provider.delete(&id).unwrap();
    assert!(!dir.exists(), "delete leaves no directory");
    assert_eq!(
        postgres_processes_under(&dir),
        0,
        "delete leaves no process"
    );
    assert_eq!(provider.inspect(&id).unwrap(), ObservedState::Missing);
    provider.delete(&id).unwrap();
    assert_eq!(provider.start(&id), Err(ProviderError::NotFound(id)));
}

#[test]
fn two_instances_side_by_side() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let a = spec("alice", "passw0rd-a", Some("a"));
    let b = spec("bob", "passw0rd-b", Some("b"));
    let ea = provider.create(&a).unwrap();
    let eb = provider.create(&b).unwrap();
    assert_ne!(ea.port, eb.port);
    assert!(connect(ea.port, "alice", "passw0rd-a", "a").is_ok());
    assert!(connect(eb.port, "bob", "passw0rd-b", "b").is_ok());
    assert!(
        connect(ea.port, "bob", "passw0rd-b", "b").is_err(),
        "instances are separate clusters"
    );
    provider.delete(&a.resource_id).unwrap();
    assert!(connect(eb.port, "bob", "passw0rd-b", "b").is_ok());
    provider.delete(&b.resource_id).unwrap();
}

#[test]
fn a_taken_port_is_an_error() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut spec = spec("alice", "passw0rd-a", None);
    spec.port = Some(listener.local_addr().unwrap().port());
    let err = provider.create(&spec).unwrap_err();
    assert!(err.to_string().contains("already in use"), "{err}");
    provider.delete(&spec.resource_id).unwrap();
}

#[test]
fn missing_binaries_name_the_package() {
    let state = state_dir();
    let settings = LocalSettings {
        bin_dir: Some("/nonexistent/bin".into()),
        ..LocalSettings::default()
    };
    let err = LocalProvider::new(settings, state.path()).err().unwrap();
    assert!(
        err.to_string().contains("apt-get install postgresql"),
        "{err}"
    );
}

#[test]
fn unwritable_state_dir_is_a_clear_error() {
    let state = tempfile::tempdir().unwrap();
    let locked = state.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    std::fs::set_permissions(state.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let err = LocalProvider::new(LocalSettings::default(), &locked.join("state"))
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(
        text.contains("not writable") || text.contains("Permission denied"),
        "{text}"
    );
}

fn query_text(conn: &mut PgConnection, sql: &str) -> String {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(sql))
        .get_result(conn)
        .unwrap()
}

#[test]
fn the_master_user_cannot_leave_its_instance() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let spec = spec("alice", "alice-pw-1", Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let mut conn = connect(endpoint.port, "alice", "alice-pw-1", "shop").unwrap();
    assert_no_escape(&mut conn, "alice");
    // A database the master makes later has the role functions too (copied from template1).
    diesel::sql_query("CREATE DATABASE later")
        .execute(&mut conn)
        .unwrap();
    let mut later = connect(endpoint.port, "alice", "alice-pw-1", "later").unwrap();
    assert_no_escape(&mut later, "alice");
    diesel::sql_query("SELECT cornac.create_role('app', true, 'app-pass-1')")
        .execute(&mut later)
        .unwrap();
    drop(later);
    provider.delete(&spec.resource_id).unwrap();
}

#[test]
fn the_role_functions_make_tenants_never_more() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let spec = spec("alice", "alice-pw-1", Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let port = endpoint.port;
    let mut conn = connect(port, "alice", "alice-pw-1", "shop").unwrap();
    assert!(
        refused(&mut conn, "CREATE ROLE app LOGIN").contains("permission denied"),
        "no CREATEROLE on 15"
    );
    for call in [
        "SELECT cornac.create_role('app', true, 'app-pass-1')",
        "SELECT cornac.create_role('readers', false)",
        // A name is only ever a name.
        "SELECT cornac.create_role('x SUPERUSER', true, 'x-pass-1')",
        "GRANT readers TO app",
    ] {
        diesel::sql_query(call).execute(&mut conn).unwrap();
    }
    assert!(!query_bool(
        &mut conn,
        "EXISTS (SELECT FROM pg_roles WHERE rolname IN ('app', 'readers', 'x SUPERUSER') \
         AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls))"
    ));
    assert!(query_bool(
        &mut conn,
        "(SELECT rolcanlogin FROM pg_roles WHERE rolname = 'app') \
         AND NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'readers')"
    ));
    assert!(query_bool(
        &mut conn,
        "pg_has_role('alice', 'app', 'USAGE WITH ADMIN OPTION')"
    ));
    for call in [
        "SELECT cornac.create_role('postgres')",
        "SELECT cornac.create_role('pg_evil')",
        "SELECT cornac.drop_role('postgres')",
        "SELECT cornac.drop_role('alice')",
        "SELECT cornac.drop_role('pg_execute_server_program')",
        "SELECT cornac.set_role_password('postgres', 'mine-now-1')",
        "SELECT cornac.set_role_password('alice', 'mine-now-1')",
        "GRANT pg_execute_server_program TO app",
        "GRANT pg_read_server_files TO readers",
    ] {
        refused(&mut conn, call);
    }

    let mut app = connect(port, "app", "app-pass-1", "shop").expect("the new role logs in");
    assert_no_escape(&mut app, "app");
    assert!(refused(&mut app, "SELECT cornac.create_role('more')").contains("permission denied"));
    drop(app);
    diesel::sql_query("SELECT cornac.set_role_password('app', 'app-pass-2')")
        .execute(&mut conn)
        .unwrap();
    assert!(connect(port, "app", "app-pass-1", "shop").is_err());
    assert!(connect(port, "app", "app-pass-2", "shop").is_ok());
    diesel::sql_query("SELECT cornac.drop_role('app')")
        .execute(&mut conn)
        .unwrap();
    assert!(
        connect(port, "app", "app-pass-2", "shop").is_err(),
        "dropped"
    );
    assert!(!query_bool(
        &mut conn,
        "EXISTS (SELECT FROM pg_roles WHERE rolname = 'app')"
    ));
    drop(conn);
    provider.delete(&spec.resource_id).unwrap();
}

/// An instance made by an older version (a master with CREATEROLE, which it used to grant
/// itself and a role of its own the server roles) is brought back in line when it is set up
/// again.
#[test]
fn setting_up_again_takes_the_old_escape_away() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let spec = spec("alice", "alice-pw-1", Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let socket = state.path().join("instances").join(spec.resource_id.slug());
    let old = as_superuser(
        &socket,
        endpoint.port,
        "ALTER ROLE alice CREATEROLE; GRANT pg_execute_server_program TO alice; \
         CREATE ROLE helper LOGIN CREATEROLE PASSWORD 'helper-pw-1'; \
         GRANT pg_read_server_files, pg_write_server_files TO helper",
    );
    assert!(old.status.success(), "{old:?}");
    assert_eq!(provider.create(&spec).unwrap(), endpoint);
    let left = as_superuser(
        &socket,
        endpoint.port,
        "SELECT count(*) FROM pg_roles WHERE rolcreaterole AND NOT rolsuper; \
         SELECT count(*) FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid \
         WHERE g.rolname LIKE 'pg\\_%server%'",
    );
    assert_eq!(String::from_utf8_lossy(&left.stdout), "0\n0\n", "{left:?}");
    let mut conn = connect(endpoint.port, "alice", "alice-pw-1", "shop").unwrap();
    assert_no_escape(&mut conn, "alice");
    let mut helper = connect(endpoint.port, "helper", "helper-pw-1", "shop").unwrap();
    assert_no_escape(&mut helper, "helper");
    assert_eq!(query_text(&mut helper, "current_user::text"), "helper");
    drop((conn, helper));
    provider.delete(&spec.resource_id).unwrap();
}
