//! A shared server for the pgcluster tests: a local instance whose master the test gives
//! CREATEROLE through the superuser's socket, as an operator would make a shared server's admin;
//! the pgcluster provider keeps its backups in the same state directory.

#![allow(clippy::unwrap_used)] // tests may unwrap

use super::{settings, state_dir};
use cornac_domain::{DbName, InstanceSpec, MasterUsername, Provider, ResourceId, ScramVerifier};
use cornac_providers::{LocalProvider, PgClusterProvider, PgClusterSettings};

pub struct Shared {
    local: LocalProvider,
    id: ResourceId,
    /// The local provider's state, and the pgcluster provider's (its backups).
    pub state: tempfile::TempDir,
    pub provider: PgClusterProvider,
    pub port: u16,
}

impl Shared {
    /// Runs `sql` in `database` as the server's superuser, as its operator would.
    pub fn as_operator(&self, database: &str, sql: &str) {
        let socket = self.state.path().join("instances").join(self.id.slug());
        let out = cornac_test_support::as_superuser_in(&socket, self.port, database, sql);
        assert!(out.status.success(), "{out:?}");
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let _ = self.local.delete(&self.id);
    }
}

pub fn shared() -> Shared {
    let state = state_dir();
    let local = LocalProvider::new(settings(30_000), state.path()).unwrap();
    let id = ResourceId::generate();
    let endpoint = local
        .create(&InstanceSpec {
            resource_id: id.clone(),
            engine_version: "15".into(),
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 1,
            master_username: MasterUsername::parse("admin").unwrap(),
            master_password: ScramVerifier::new("admin-pw"),
            db_name: Some(DbName::parse("admin").unwrap()),
            port: None,
        })
        .unwrap();
    let url = format!(
        "postgres://admin:admin-pw@127.0.0.1:{}/admin",
        endpoint.port
    );
    let provider = PgClusterProvider::new(
        &PgClusterSettings {
            url: url.into(),
            ..PgClusterSettings::default()
        },
        state.path(),
    )
    .unwrap();
    let shared = Shared {
        local,
        id,
        state,
        provider,
        port: endpoint.port,
    };
    shared.as_operator("postgres", "ALTER ROLE admin CREATEROLE");
    shared
}
