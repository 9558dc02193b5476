//! What the local provider's backup tests share: the provider, SQL, where a repository is.

#![allow(clippy::unwrap_used)] // tests may unwrap

use super::{connect, settings, spec};
use cornac_domain::{InstanceSpec, Provider, ResourceId};
use cornac_providers::LocalProvider;
use diesel::pg::PgConnection;
use diesel::RunQueryDsl;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

pub const PASSWORD: &str = "S3cret-pw";

/// A provider on `state`, with ports from `base` up (each test file its own).
pub fn provider(state: &Path, base: u32) -> LocalProvider {
    LocalProvider::new(settings(base), state).unwrap()
}

pub fn sql(conn: &mut PgConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).unwrap();
}

pub fn one(conn: &mut PgConnection, expression: &str) -> Option<String> {
    diesel::select(diesel::dsl::sql::<
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
    >(expression))
    .get_result(conn)
    .unwrap()
}

pub fn repo_dir(state: &Path, id: &ResourceId) -> PathBuf {
    state.join("backups/local").join(id.slug())
}

pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// The backup set directories of `id`'s stanza, oldest first.
pub fn sets(state: &Path, id: &ResourceId) -> Vec<PathBuf> {
    let dir = repo_dir(state, id).join("repo/backup").join(id.slug());
    let mut sets: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_dir() && e.file_name() != "backup.history")
        .map(|e| e.path())
        .collect();
    sets.sort();
    sets
}

/// A running instance `alice`/`shop` with a table `t`; a connection as its master user.
pub fn instance(provider: &LocalProvider) -> (InstanceSpec, PgConnection) {
    let spec = spec("alice", PASSWORD, Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
    sql(&mut conn, "CREATE TABLE t (x int)");
    (spec, conn)
}
