//! Shared by the provider tests: port ranges of the test's own, state directories the cluster
//! user can enter, instance specs, and connecting as a client would.

#![allow(clippy::unwrap_used, dead_code)] // tests may unwrap; not every file uses all of it

pub mod backups;
pub mod local_backups;
pub mod shared;

/// Runs SQL as a cluster's superuser through its socket directory, as the service does.
#[allow(unused_imports)] // not every test file runs SQL as the superuser
pub use cornac_test_support::as_superuser;

use cornac_domain::{DbName, InstanceSpec, MasterUsername, ResourceId, ScramVerifier};
use cornac_providers::LocalSettings;
use diesel::pg::PgConnection;
use diesel::Connection;
use std::os::unix::fs::PermissionsExt;

/// A port range of this test process's own (from `base` up): tests run side by side, each with
/// its own state directory, and must not take a port another's stopped instance counts on.
pub fn settings(base: u32) -> LocalSettings {
    let port_min = u16::try_from(base + (std::process::id() % 400) * 25).unwrap();
    LocalSettings {
        port_min,
        port_max: port_min + 24,
        ..LocalSettings::default()
    }
}

/// A state directory the cluster user (`postgres` when tests run as root) can enter.
pub fn state_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

pub fn spec(user: &str, password: &str, db: Option<&str>) -> InstanceSpec {
    InstanceSpec {
        resource_id: ResourceId::generate(),
        engine_version: "15".into(),
        instance_class: "db.t3.micro".into(),
        allocated_storage_gib: 1,
        master_username: MasterUsername::parse(user).unwrap(),
        master_password: ScramVerifier::new(password),
        db_name: db.map(|d| DbName::parse(d).unwrap()),
        port: None,
    }
}

pub fn connect(
    port: u16,
    user: &str,
    password: &str,
    db: &str,
) -> Result<PgConnection, diesel::ConnectionError> {
    let password = password.replace('\\', "\\\\").replace('\'', "\\'");
    PgConnection::establish(&format!(
        "host=127.0.0.1 port={port} user={user} password='{password}' dbname={db} connect_timeout=5"
    ))
}

/// The error of `statement`, run by `conn`, which must fail.
pub fn refused(conn: &mut PgConnection, statement: &str) -> String {
    match diesel::RunQueryDsl::execute(diesel::sql_query(statement), conn) {
        Ok(_) => panic!("{statement:?} succeeded"),
        Err(e) => e.to_string(),
    }
}

/// Every way out of the database a tenant role might try: each must be refused for lack of
/// privilege (not for a typo in the test), and the role must hold nothing that leads out.
pub fn assert_no_escape(conn: &mut PgConnection, role: &str) {
    diesel::RunQueryDsl::execute(
        diesel::sql_query("CREATE TEMP TABLE IF NOT EXISTS escape (line text)"),
        conn,
    )
    .unwrap();
    let attempts = [
        format!("GRANT pg_execute_server_program TO \"{role}\""),
        format!("GRANT pg_read_server_files TO \"{role}\""),
        format!("GRANT pg_write_server_files TO \"{role}\""),
        "COPY escape FROM PROGRAM 'id'".to_owned(),
        "COPY escape TO PROGRAM 'sh -c id'".to_owned(),
        "COPY escape FROM '/etc/passwd'".to_owned(),
        "COPY escape TO '/tmp/cornac-escape'".to_owned(),
        "SELECT pg_read_file('/etc/passwd')".to_owned(),
        "SELECT pg_ls_dir('/')".to_owned(),
        "SELECT lo_import('/etc/passwd')".to_owned(),
        "CREATE ROLE x SUPERUSER".to_owned(),
        "CREATE ROLE y REPLICATION".to_owned(),
        format!("ALTER ROLE \"{role}\" SUPERUSER"),
        format!("ALTER ROLE \"{role}\" REPLICATION"),
        format!("ALTER ROLE \"{role}\" BYPASSRLS"),
        format!("ALTER ROLE \"{role}\" CREATEROLE"),
        "ALTER SYSTEM SET archive_command = 'id'".to_owned(),
    ];
    for statement in attempts {
        let error = refused(conn, &statement);
        assert!(
            [
                "permission denied",
                "must be superuser",
                "must have admin option",
                "must be able to SET ROLE",
                "must have privileges of"
            ]
            .iter()
            .any(|reason| error.contains(reason)),
            "{statement}: {error}"
        );
    }
    let holds: bool = diesel::RunQueryDsl::get_result(
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "EXISTS (SELECT FROM pg_roles WHERE pg_has_role(current_user, oid, 'USAGE') \
             AND (rolsuper OR rolreplication OR rolbypassrls OR rolname IN \
             ('pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files')))",
        )),
        conn,
    )
    .unwrap();
    assert!(!holds, "{role} reaches a privileged role");
}
