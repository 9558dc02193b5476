//! Shared by the provider tests: port ranges of the test's own, state directories the cluster
//! user can enter, instance specs, and connecting as a client would.

#![allow(clippy::unwrap_used, dead_code)] // tests may unwrap; not every file uses all of it

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
