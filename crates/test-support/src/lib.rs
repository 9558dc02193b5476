//! Dev-only helpers: state directories the cluster user can reach, and throwaway PostgreSQL
//! clusters (made with the local provider itself) that tests start and that go away on drop.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use cornac_domain::{
    DbName, Endpoint, InstanceSpec, MasterPassword, MasterUsername, Provider, ResourceId,
};
use cornac_providers::{LocalProvider, LocalSettings};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Local provider settings with a port range of this test's own, so that tests running side
/// by side (each with its own state directory) never take a port another one's stopped
/// instance still counts on.
pub fn local_settings() -> LocalSettings {
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let slot = (std::process::id() * 7 + CALLS.fetch_add(1, Ordering::Relaxed)) % 1600;
    let port_min = u16::try_from(20_000 + slot * 25).unwrap();
    LocalSettings {
        port_min,
        port_max: port_min + 24,
        ..LocalSettings::default()
    }
}

/// A temporary directory that the `postgres` system user can enter (tests run as root in CI,
/// and clusters then run as `postgres`).
pub fn state_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("cornac-test-")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// One state directory shared by every test process, so the per-major template is made once.
fn shared_state() -> PathBuf {
    let dir = std::env::temp_dir().join("cornac-test-clusters");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Runs `sql` with psql as a local cluster's superuser through its socket directory, as the
/// service does (the test runs as the service's user).
pub fn as_superuser(socket_dir: &Path, port: u16, sql: &str) -> std::process::Output {
    std::process::Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", "postgres"])
        .args(["-U", "postgres", "-h"])
        .arg(socket_dir)
        .args(["-p", &port.to_string(), "-c", sql])
        .output()
        .unwrap()
}

/// A running PostgreSQL cluster with a non-superuser owner of one database; deleted on drop.
pub struct TestCluster {
    provider: LocalProvider,
    id: ResourceId,
    /// The instance's directory, where its socket is.
    socket_dir: PathBuf,
    pub endpoint: Endpoint,
    pub user: String,
    pub password: String,
    pub database: String,
}

impl TestCluster {
    pub fn start() -> Self {
        Self::start_in(&shared_state())
    }

    pub fn start_in(state: &Path) -> Self {
        let provider = LocalProvider::new(local_settings(), state).unwrap();
        let (user, password, database) = ("owner", "test-pa55word", "app");
        let spec = InstanceSpec {
            resource_id: ResourceId::generate(),
            engine_version: provider.engine_versions().unwrap()[0].clone(),
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 1,
            master_username: MasterUsername::parse(user).unwrap(),
            master_password: MasterPassword::parse(password).unwrap().verifier(),
            db_name: Some(DbName::parse(database).unwrap()),
            port: None,
        };
        let endpoint = provider.create(&spec).unwrap();
        Self {
            provider,
            socket_dir: state.join("instances").join(spec.resource_id.slug()),
            id: spec.resource_id,
            endpoint,
            user: user.into(),
            password: password.into(),
            database: database.into(),
        }
    }

    /// A cluster whose owner also has CREATEROLE, given by the superuser as an operator gives it
    /// to a shared server's admin (a master user has none on PostgreSQL 15: it would lead to the
    /// superuser): the server of a `pgcluster` provider.
    pub fn shared_server() -> Self {
        let cluster = Self::start();
        let out = as_superuser(
            &cluster.socket_dir,
            cluster.endpoint.port,
            &format!("ALTER ROLE \"{}\" CREATEROLE", cluster.user),
        );
        assert!(out.status.success(), "{out:?}");
        cluster
    }

    /// A `postgres://` URL for the owner of the database.
    pub fn url(&self) -> String {
        format!(
            "postgres://{}:{}@{}:{}/{}",
            self.user, self.password, self.endpoint.address, self.endpoint.port, self.database
        )
    }

    pub fn stop(&self) {
        self.provider.stop(&self.id).unwrap();
    }

    pub fn restart(&self) {
        self.provider.start(&self.id).unwrap();
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if let Err(e) = self.provider.delete(&self.id) {
            eprintln!("cannot delete test cluster {}: {e}", self.id);
        }
    }
}
