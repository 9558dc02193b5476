//! Databases cloned from a prepared template (`CREATE DATABASE … TEMPLATE …`) on one cluster
//! shared by every test process: a clone takes milliseconds where a new cluster takes a second.
//! The cluster lives in the shared state directory (`$TMPDIR/cornac-test-clusters/shared`) and
//! is left running for the next test process; each template is made once, by the first test
//! that asks for it, and each clone is dropped with its `TestDatabase` (or, if its process was
//! killed, by the next process to start). Delete that directory to start again from nothing.

use crate::{shared_state, TestCluster};
use cornac_domain::ResourceId;
use cornac_providers::{LocalProvider, LocalSettings};
use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// A database of its own on the shared cluster, cloned from a template; dropped on drop.
pub struct TestDatabase {
    pub name: String,
    url: String,
}

/// The shared cluster's directory: its id file and the lock every change to it takes.
fn dir() -> PathBuf {
    let dir = shared_state().join("shared");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Held while the shared cluster, a template or a clone is made (by any test process).
fn lock() -> File {
    let file = File::create(dir().join("lock")).unwrap();
    file.lock().unwrap();
    file
}

/// The shared cluster (ports apart from the per-test clusters'), made or started once per
/// process; never dropped, so it outlives the process.
fn cluster() -> &'static TestCluster {
    static SHARED: OnceLock<TestCluster> = OnceLock::new();
    SHARED.get_or_init(|| {
        let _lock = lock();
        let state = shared_state();
        let settings = LocalSettings {
            port_min: 19_000,
            port_max: 19_099,
            ..LocalSettings::default()
        };
        let provider = || LocalProvider::new(settings.clone(), &state).unwrap();
        let id_file = dir().join("id");
        let known = std::fs::read_to_string(&id_file)
            .ok()
            .and_then(|id| ResourceId::parse(id.trim()).ok());
        let cluster = match known.and_then(|id| TestCluster::reopen(provider(), &state, id)) {
            Some(cluster) => cluster,
            None => {
                let cluster = TestCluster::create(provider(), &state);
                std::fs::write(&id_file, cluster.id.to_string()).unwrap();
                cluster
            }
        };
        drop_orphans(&cluster);
        cluster
    })
}

/// Drop the clones of test processes that are gone (killed before their drop ran).
fn drop_orphans(cluster: &TestCluster) {
    let names =
        cluster.superuser_sql("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'");
    for name in names.lines() {
        let pid = name.split('_').nth(1).unwrap_or("");
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            cluster.superuser_sql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

fn exists(cluster: &TestCluster, database: &str) -> bool {
    cluster
        .superuser_sql(&format!(
            "SELECT 1 FROM pg_database WHERE datname = '{database}'"
        ))
        .trim()
        == "1"
}

impl TestDatabase {
    /// A new database cloned from `template` (letters, digits and `_`), which `prepare` sets up
    /// (given the owner's URL to it) the first time any test asks for it. Callers that change
    /// what `prepare` does name a new template.
    pub fn cloned(template: &str, prepare: impl FnOnce(&str)) -> Self {
        static CLONES: AtomicU32 = AtomicU32::new(0);
        assert!(template
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        let cluster = cluster();
        let _lock = lock();
        let template = format!("template_{template}");
        if !exists(cluster, &template) {
            // Made under another name and renamed last: a half-made template is never cloned.
            let building = format!("{template}_building");
            cluster.superuser_sql(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"));
            cluster.superuser_sql(&format!(
                "CREATE DATABASE {building} OWNER \"{}\"",
                cluster.user
            ));
            prepare(&cluster.url_of(&building));
            cluster.superuser_sql(&format!("ALTER DATABASE {building} RENAME TO {template}"));
        }
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            CLONES.fetch_add(1, Ordering::Relaxed)
        );
        cluster.superuser_sql(&format!(
            "CREATE DATABASE {name} TEMPLATE {template} OWNER \"{}\"",
            cluster.user
        ));
        Self {
            url: cluster.url_of(&name),
            name,
        }
    }

    /// A `postgres://` URL for the owner of the database.
    pub fn url(&self) -> String {
        self.url.clone()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let cluster = cluster();
        let out = crate::as_superuser(
            &cluster.socket_dir,
            cluster.endpoint.port,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
        if !out.status.success() {
            eprintln!("cannot drop the test database {}: {out:?}", self.name);
        }
    }
}
