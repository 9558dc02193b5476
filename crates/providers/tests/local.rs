//! The local provider against the real PostgreSQL server binaries of this host.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{connect, settings, spec, state_dir};

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
        "(SELECT rolcreatedb AND rolcreaterole FROM pg_roles WHERE rolname = current_user)"
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
