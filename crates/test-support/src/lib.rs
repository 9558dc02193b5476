//! Dev-only helpers: state directories the cluster user can reach, and throwaway PostgreSQL
//! clusters (made with the local provider itself) that tests start and that go away on drop.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod database;

pub use database::TestDatabase;

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
pub(crate) fn shared_state() -> PathBuf {
    let dir = std::env::temp_dir().join("cornac-test-clusters");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Runs `sql` with psql as a local cluster's superuser through its socket directory, as the
/// service does (the test runs as the service's user).
pub fn as_superuser(socket_dir: &Path, port: u16, sql: &str) -> std::process::Output {
    as_superuser_in(socket_dir, port, "postgres", sql)
}

/// [`as_superuser`] in `database`.
pub fn as_superuser_in(
    socket_dir: &Path,
    port: u16,
    database: &str,
    sql: &str,
) -> std::process::Output {
    std::process::Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", database])
        .args(["-U", "postgres", "-h"])
        .arg(socket_dir)
        .args(["-p", &port.to_string(), "-c", sql])
        .output()
        .unwrap()
}

/// The non-superuser owner of a test cluster's database: user, password, database.
const OWNER: (&str, &str, &str) = ("owner", "test-pa55word", "app");

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
        Self::create(LocalProvider::new(local_settings(), state).unwrap(), state)
    }

    fn create(provider: LocalProvider, state: &Path) -> Self {
        let spec = InstanceSpec {
            resource_id: ResourceId::generate(),
            engine_version: provider.engine_versions().unwrap()[0].clone(),
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 1,
            master_username: MasterUsername::parse(OWNER.0).unwrap(),
            master_password: MasterPassword::parse(OWNER.1).unwrap().verifier(),
            db_name: Some(DbName::parse(OWNER.2).unwrap()),
            port: None,
        };
        let endpoint = provider.create(&spec).unwrap();
        Self::new(provider, state, spec.resource_id, endpoint)
    }

    /// The cluster `id` made earlier in `state`, started if it is not running.
    fn reopen(provider: LocalProvider, state: &Path, id: ResourceId) -> Option<Self> {
        let endpoint = provider.start(&id).ok()?;
        Some(Self::new(provider, state, id, endpoint))
    }

    fn new(provider: LocalProvider, state: &Path, id: ResourceId, endpoint: Endpoint) -> Self {
        Self {
            provider,
            socket_dir: state.join("instances").join(id.slug()),
            id,
            endpoint,
            user: OWNER.0.into(),
            password: OWNER.1.into(),
            database: OWNER.2.into(),
        }
    }

    /// Runs `sql` as the superuser (see [`as_superuser`]); its output, which must be a success.
    pub fn superuser_sql(&self, sql: &str) -> String {
        let out = as_superuser(&self.socket_dir, self.endpoint.port, sql);
        assert!(out.status.success(), "{sql}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// A cluster whose owner also has CREATEROLE, given by the superuser as an operator gives it
    /// to a shared server's admin (a master user has none on PostgreSQL 15: it would lead to the
    /// superuser): the server of a `pgcluster` provider.
    pub fn shared_server() -> Self {
        let cluster = Self::start();
        cluster.superuser_sql(&format!("ALTER ROLE \"{}\" CREATEROLE", cluster.user));
        cluster
    }

    /// A `postgres://` URL for the owner of the database.
    pub fn url(&self) -> String {
        self.url_of(&self.database)
    }

    /// A `postgres://` URL for the owner, to `database`.
    pub fn url_of(&self, database: &str) -> String {
        format!(
            "postgres://{}:{}@{}:{}/{database}",
            self.user, self.password, self.endpoint.address, self.endpoint.port
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
