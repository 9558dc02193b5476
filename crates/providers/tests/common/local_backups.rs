//! What the local provider's backup tests share: the provider, SQL, where a repository is.

#![allow(clippy::unwrap_used)] // tests may unwrap

use super::settings;
use cornac_domain::ResourceId;
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
