//! The role pgBackRest logs in as: `cornac_backup`, which may only start and stop a backup,
//! switch WAL, checkpoint and read the settings; only the cluster's own OS user reaches it,
//! through the instance's socket (`auth`), so that user never gets the superuser.

use super::cluster::Cluster;
use crate::sql::{self, execute};
use cornac_domain::ProviderError;

pub const ROLE: &str = "cornac_backup";

/// The first major with `pg_backup_start` (before it, `pg_start_backup`) and `pg_checkpoint`.
const NEW_BACKUP_FUNCTIONS: u32 = 15;

fn statements(major: u32) -> Vec<String> {
    let role = sql::ident(ROLE);
    let (functions, roles) = if major >= NEW_BACKUP_FUNCTIONS {
        (
            "pg_backup_start(text, boolean), pg_backup_stop(boolean)",
            "pg_read_all_settings, pg_checkpoint",
        )
    } else {
        (
            "pg_start_backup(text, boolean, boolean), pg_stop_backup(boolean, boolean)",
            "pg_read_all_settings",
        )
    };
    let create = format!(
        "BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {}) THEN \
         CREATE ROLE {role} LOGIN; END IF; END",
        sql::literal(ROLE)
    );
    vec![
        format!("DO $cornac$ {create} $cornac$"),
        format!("ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD NULL"),
        format!(
            "GRANT EXECUTE ON FUNCTION {functions}, pg_switch_wal(), \
             pg_create_restore_point(text) TO {role}"
        ),
        format!("GRANT {roles} TO {role}"),
    ]
}

/// Make the role (or bring it up to date), in the `postgres` database pgBackRest connects to.
pub fn ensure(cluster: &Cluster) -> Result<(), ProviderError> {
    let major = cluster.major()?;
    let mut conn = cluster.admin("postgres")?;
    for statement in statements(major) {
        execute(&mut conn, &statement)?;
    }
    Ok(())
}
