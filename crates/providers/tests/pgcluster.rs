//! The pgcluster provider against a real PostgreSQL server (made by the local provider, whose
//! master the test then gives CREATEROLE through the superuser's socket, as an operator would
//! make a shared server's admin).

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::shared::shared;
use common::{assert_no_escape, connect, spec};

use cornac_domain::{ObservedState, Provider, ProviderError, ScramVerifier};
use cornac_providers::{PgClusterProvider, PgClusterSettings};

#[test]
fn lifecycle_with_a_hostile_password() {
    let s = shared();
    let hostile = "x'; DROP ROLE admin; --\"$$\\";
    let a = spec("alice", hostile, Some("shop"));
    let endpoint = s.provider.create(&a).unwrap();
    assert_eq!(
        (endpoint.address.as_str(), endpoint.port),
        ("127.0.0.1", s.port)
    );
    assert_eq!(
        s.provider.create(&a).unwrap(),
        endpoint,
        "a retried create changes nothing"
    );
    assert!(connect(s.port, "alice", hostile, "shop").is_ok());
    assert!(
        connect(s.port, "admin", "admin-pw", "admin").is_ok(),
        "the admin survived the password"
    );
    assert_eq!(
        s.provider.inspect(&a.resource_id).unwrap(),
        ObservedState::Running(endpoint.clone())
    );
    assert_eq!(s.provider.list().unwrap(), vec![a.resource_id.clone()]);

    s.provider.stop(&a.resource_id).unwrap();
    assert_eq!(
        s.provider.inspect(&a.resource_id).unwrap(),
        ObservedState::Stopped
    );
    assert!(
        connect(s.port, "alice", hostile, "shop").is_err(),
        "stopped: no logins"
    );
    s.provider.start(&a.resource_id).unwrap();
    assert!(connect(s.port, "alice", hostile, "shop").is_ok());
    s.provider.reboot(&a.resource_id).unwrap();

    s.provider
        .set_master_password(
            &a.resource_id,
            &a.master_username,
            &ScramVerifier::new("new-pass-1"),
        )
        .unwrap();
    assert!(connect(s.port, "alice", hostile, "shop").is_err());
    let _session = connect(s.port, "alice", "new-pass-1", "shop").unwrap();

    s.provider.delete(&a.resource_id).unwrap();
    assert_eq!(
        s.provider.inspect(&a.resource_id).unwrap(),
        ObservedState::Missing
    );
    assert!(connect(s.port, "alice", "new-pass-1", "shop").is_err());
    assert!(s.provider.list().unwrap().is_empty());
    s.provider.delete(&a.resource_id).unwrap();
    assert_eq!(
        s.provider.start(&a.resource_id),
        Err(ProviderError::NotFound(a.resource_id.clone()))
    );
}

#[test]
fn tenants_are_isolated_and_others_roles_untouched() {
    let s = shared();
    let a = spec("alice", "alice-pw-1", Some("a_db"));
    let b = spec("bob", "bob-pw-12", None);
    s.provider.create(&a).unwrap();
    s.provider.create(&b).unwrap();
    assert!(
        connect(s.port, "bob", "bob-pw-12", "bob").is_ok(),
        "no DBName: the database is named after the user"
    );
    assert!(
        connect(s.port, "bob", "bob-pw-12", "a_db").is_err(),
        "bob cannot enter alice's database"
    );
    assert!(connect(s.port, "alice", "alice-pw-1", "bob").is_err());

    // A role Cornac did not make is refused, never taken over.
    let taken = spec("admin", "whatever-1", Some("elsewhere"));
    let err = s.provider.create(&taken).unwrap_err();
    assert!(
        matches!(err, ProviderError::Permanent(ref m) if m.contains("already exists")),
        "{err}"
    );
    s.provider.delete(&a.resource_id).unwrap();
    s.provider.delete(&b.resource_id).unwrap();
    assert!(connect(s.port, "admin", "admin-pw", "admin").is_ok());
}

#[test]
fn a_bad_url_is_a_clear_error() {
    for url in [
        "",
        "mysql://x@y/z",
        "not a url",
        "postgres://admin@db.example/admin?password=secret",
        "postgres://admin:pw@db.example/admin?sslmode=require&sslpassword=secret",
    ] {
        let err = PgClusterProvider::new(
            &PgClusterSettings {
                url: url.into(),
                ..PgClusterSettings::default()
            },
            std::path::Path::new("/nonexistent"),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("pgcluster.url"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}

#[test]
fn a_tenant_cannot_leave_its_database() {
    let s = shared();
    let a = spec("alice", "alice-pw-1", Some("a_db"));
    s.provider.create(&a).unwrap();
    let mut conn = connect(s.port, "alice", "alice-pw-1", "a_db").unwrap();
    assert_no_escape(&mut conn, "alice");
    drop(conn);
    s.provider.delete(&a.resource_id).unwrap();
}

#[test]
fn a_create_interrupted_after_its_database_is_made_again() {
    let s = shared();
    let a = spec("alice", "alice-pw-1", Some("a_db"));
    let id = &a.resource_id;
    // What a crash between CREATE DATABASE and its comment leaves.
    let mut admin = connect(s.port, "admin", "admin-pw", "admin").unwrap();
    for statement in [
        "CREATE ROLE alice LOGIN PASSWORD 'alice-pw-1'".to_owned(),
        format!("COMMENT ON ROLE alice IS 'cornac:{id}'"),
        "GRANT alice TO CURRENT_USER".to_owned(),
        "CREATE DATABASE a_db OWNER alice".to_owned(),
    ] {
        diesel::RunQueryDsl::execute(diesel::sql_query(statement), &mut admin).unwrap();
    }
    assert_eq!(s.provider.inspect(id).unwrap(), ObservedState::Missing);
    s.provider.create(&a).unwrap();
    assert!(matches!(
        s.provider.inspect(id).unwrap(),
        ObservedState::Running(_)
    ));
    assert!(connect(s.port, "alice", "alice-pw-1", "a_db").is_ok());

    // A database of a role that is not ours, unmarked or not, is never dropped.
    let b = spec("bob", "bob-pw-12", Some("admin"));
    let err = s.provider.create(&b).unwrap_err();
    assert!(
        matches!(err, ProviderError::Permanent(ref m) if m.contains("database admin already exists")),
        "{err}"
    );
    assert!(connect(s.port, "admin", "admin-pw", "admin").is_ok());
    s.provider.delete(&b.resource_id).unwrap();
    s.provider.delete(id).unwrap();
}
