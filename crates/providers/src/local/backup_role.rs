//! The role pgBackRest logs in as: `cornac_backup`, which may only start and stop a backup,
//! switch WAL, checkpoint and read the settings; only the cluster's own OS user reaches it,
//! through the instance's socket (`auth`; every TCP login as it is rejected), so that user never
//! gets the superuser. A tenant may not hold it: at every start and backup it loses every
//! member and every membership Cornac did not grant, and a backup refuses a role of that name
//! that Cornac did not make (its comment is Cornac's marker).

use super::cluster::Cluster;
use crate::sql::{self, execute};
use cornac_domain::ProviderError;
use diesel::pg::PgConnection;

pub const ROLE: &str = "cornac_backup";
/// The comment of the role Cornac made.
const MARKER: &str = "cornac: pgBackRest's role, made by cornac";

/// The first major with `pg_backup_start` (before it, `pg_start_backup`) and `pg_checkpoint`.
const NEW_BACKUP_FUNCTIONS: u32 = 15;
/// The first major whose role grants each have a grantor of their own (`GRANTED BY`).
const GRANTORS: u32 = 16;

/// The roles Cornac grants it.
fn granted(major: u32) -> &'static [&'static str] {
    if major >= NEW_BACKUP_FUNCTIONS {
        &["pg_read_all_settings", "pg_checkpoint"]
    } else {
        &["pg_read_all_settings"]
    }
}

/// Statements that take from the role (when it exists) its members, every membership but
/// Cornac's grants, and any settings of its own; the superuser's, in `postgres`.
pub fn strip_statements(major: u32) -> Vec<String> {
    let role = sql::literal(ROLE);
    let kept = granted(major)
        .iter()
        .map(|r| sql::literal(r))
        .collect::<Vec<_>>()
        .join(", ");
    let by = if major >= GRANTORS {
        " GRANTED BY %I"
    } else {
        ""
    };
    let strip = format!(
        "DECLARE r record; BEGIN \
         FOR r IN SELECT g.rolname AS granted, m.rolname AS member, \
         pg_get_userbyid(a.grantor) AS grantor FROM pg_auth_members a \
         JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member \
         WHERE g.rolname = {role} OR (m.rolname = {role} AND g.rolname <> ALL (ARRAY[{kept}])) \
         LOOP EXECUTE format('REVOKE %I FROM %I{by} CASCADE', r.granted, r.member, r.grantor); \
         END LOOP; \
         IF EXISTS (SELECT FROM pg_roles WHERE rolname = {role}) THEN \
         EXECUTE format('ALTER ROLE %I RESET ALL', {role}); END IF; END"
    );
    vec![format!("DO $cornac$ {strip} $cornac$")]
}

fn statements(major: u32) -> Vec<String> {
    let role = sql::ident(ROLE);
    let functions = if major >= NEW_BACKUP_FUNCTIONS {
        "pg_backup_start(text, boolean), pg_backup_stop(boolean)"
    } else {
        "pg_start_backup(text, boolean, boolean), pg_stop_backup(boolean, boolean)"
    };
    // One block, so one transaction: no role without its marker.
    let create = format!(
        "BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {}) THEN \
         CREATE ROLE {role} LOGIN; COMMENT ON ROLE {role} IS {}; END IF; END",
        sql::literal(ROLE),
        sql::literal(MARKER)
    );
    vec![
        format!("DO $cornac$ {create} $cornac$"),
        format!(
            "ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION \
             NOBYPASSRLS PASSWORD NULL"
        ),
        format!(
            "GRANT EXECUTE ON FUNCTION {functions}, pg_switch_wal(), \
             pg_create_restore_point(text) TO {role}"
        ),
        format!("GRANT {} TO {role}", granted(major).join(", ")),
    ]
}

/// The role's comment: `None` when there is no such role.
fn comment(conn: &mut PgConnection) -> Result<Option<String>, ProviderError> {
    sql::text(
        conn,
        &format!(
            "(SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles \
             WHERE rolname = {})",
            sql::literal(ROLE)
        ),
    )
}

/// Make the role (or bring it up to date), in the `postgres` database pgBackRest connects to;
/// a role of that name that Cornac did not make is refused (once stripped).
pub fn ensure(cluster: &Cluster) -> Result<(), ProviderError> {
    let major = cluster.major()?;
    let mut conn = cluster.admin("postgres")?;
    for statement in strip_statements(major) {
        execute(&mut conn, &statement)?;
    }
    if comment(&mut conn)?.is_some_and(|c| c != MARKER) {
        return Err(ProviderError::Permanent(format!(
            "the role {ROLE} of {} was not made by cornac (a tenant may have made it to get \
             its rights); its memberships are revoked, but no backup runs until the role is \
             dropped (by the superuser, through the instance's socket)",
            cluster.dir.display()
        )));
    }
    for statement in statements(major) {
        execute(&mut conn, &statement)?;
    }
    Ok(())
}
