//! The inventory's schema migrations, embedded from the workspace's `migrations/` directory.

use crate::{Error, Result};
use diesel::pg::PgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Apply what is pending; returns the names applied.
pub fn run_pending(conn: &mut PgConnection) -> Result<Vec<String>> {
    conn.run_pending_migrations(MIGRATIONS)
        .map(|done| done.iter().map(ToString::to_string).collect())
        .map_err(|e| Error::Migration(e.to_string()))
}

/// The names of the migrations not applied yet.
pub fn pending(conn: &mut PgConnection) -> Result<Vec<String>> {
    conn.pending_migrations(MIGRATIONS)
        .map(|todo| todo.iter().map(|m| m.name().to_string()).collect())
        .map_err(|e| Error::Migration(e.to_string()))
}

/// Revert every applied migration (for tests and for tearing an inventory down).
pub fn revert_all(conn: &mut PgConnection) -> Result<Vec<String>> {
    conn.revert_all_migrations(MIGRATIONS)
        .map(|done| done.iter().map(ToString::to_string).collect())
        .map_err(|e| Error::Migration(e.to_string()))
}
