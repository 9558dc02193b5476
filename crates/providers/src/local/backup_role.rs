//! The role pgBackRest logs in as: `cornac_backup`, which may only start and stop a backup,
//! switch WAL, checkpoint and read the settings; only the cluster's own OS user reaches it,
//! through the instance's socket (`auth`; every TCP login as it is rejected), so that user never
//! gets the superuser. A tenant may not hold it: at every start and backup it loses every
//! member and every membership Cornac did not grant, and a backup refuses a role of that name
//! that Cornac did not make (its comment is Cornac's marker). A role with no comment at all (as
//! versions before the marker made it) is judged once, at the first start or backup that finds
//! it, before anything is taken from it: marked if it is exactly what Cornac's setup makes,
//! else commented as refused.

use super::cluster::Cluster;
use crate::sql::{self, execute};
use cornac_domain::ProviderError;
use diesel::pg::PgConnection;

pub const ROLE: &str = "cornac_backup";
/// The comment of the role Cornac made.
const MARKER: &str = "cornac: pgBackRest's role, made by cornac";
/// The comment of a role found without a marker that is not what Cornac's setup makes.
const REFUSED: &str = "cornac: refused, not pgBackRest's role as cornac makes it";

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

/// The functions Cornac lets it execute.
fn functions(major: u32) -> [&'static str; 4] {
    let (start, stop) = if major >= NEW_BACKUP_FUNCTIONS {
        ("pg_backup_start(text, boolean)", "pg_backup_stop(boolean)")
    } else {
        (
            "pg_start_backup(text, boolean, boolean)",
            "pg_stop_backup(boolean, boolean)",
        )
    };
    [
        start,
        stop,
        "pg_switch_wal()",
        "pg_create_restore_point(text)",
    ]
}

/// `names` as SQL literals, comma separated.
fn literals(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| sql::literal(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// True (in SQL, of the role whose oid is `r`) when the role is exactly what Cornac's setup
/// makes: it logs in, with no password and no other attribute; nobody is its member; it is a
/// member only of Cornac's grants, given by a superuser and without ADMIN; it has no settings
/// of its own; and it owns nothing and holds no privilege, in any database, but EXECUTE on
/// Cornac's functions here. Whoever made such a role, nobody holds it and it reaches nothing
/// more than Cornac gives it.
fn as_made(major: u32) -> String {
    let kept = literals(granted(major));
    let functions = functions(major)
        .iter()
        .map(|f| format!("{}::regprocedure::oid", sql::literal(f)))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "EXISTS (SELECT FROM pg_authid a WHERE a.oid = r AND a.rolcanlogin \
         AND NOT (a.rolsuper OR a.rolcreatedb OR a.rolcreaterole OR a.rolreplication \
         OR a.rolbypassrls) AND a.rolpassword IS NULL AND a.rolvaliduntil IS NULL \
         AND a.rolconnlimit = -1) \
         AND NOT EXISTS (SELECT FROM pg_auth_members m WHERE m.roleid = r) \
         AND NOT EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid \
         LEFT JOIN pg_roles b ON b.oid = m.grantor WHERE m.member = r \
         AND (g.rolname <> ALL (ARRAY[{kept}]) OR NOT coalesce(b.rolsuper, false) \
         OR m.admin_option)) \
         AND NOT EXISTS (SELECT FROM pg_db_role_setting s WHERE s.setrole = r) \
         AND NOT EXISTS (SELECT FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass \
         AND d.refobjid = r AND NOT (d.deptype = 'a' AND d.classid = 'pg_proc'::regclass \
         AND d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND d.objid = ANY (ARRAY[{functions}])))"
    )
}

/// Statements that judge a role of that name with no comment (made before the marker, or by
/// someone else), before anything is taken from it: marked as Cornac's when it is `as_made`,
/// else commented as refused; either way it is judged once. The superuser's, in `postgres`.
fn adopt_statement(major: u32) -> String {
    let adopt = format!(
        "DECLARE r oid; BEGIN \
         SELECT oid INTO r FROM pg_authid WHERE rolname = {role} \
         AND shobj_description(oid, 'pg_authid') IS NULL; \
         IF r IS NULL THEN RETURN; END IF; \
         IF {as_made} THEN EXECUTE format('COMMENT ON ROLE %I IS %L', {role}, {marker}); \
         ELSE EXECUTE format('COMMENT ON ROLE %I IS %L', {role}, {refused}); END IF; END",
        role = sql::literal(ROLE),
        as_made = as_made(major),
        marker = sql::literal(MARKER),
        refused = sql::literal(REFUSED),
    );
    format!("DO $cornac$ {adopt} $cornac$")
}

/// Statements that judge a role without a comment (`adopt_statement`), then take from the role
/// (when it exists) its members, every membership but Cornac's grants, and any settings of its
/// own; the superuser's, in `postgres`, before any other statement of a start.
pub fn strip_statements(major: u32) -> Vec<String> {
    let role = sql::literal(ROLE);
    let kept = literals(granted(major));
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
    vec![
        adopt_statement(major),
        format!("DO $cornac$ {strip} $cornac$"),
    ]
}

fn statements(major: u32) -> Vec<String> {
    let role = sql::ident(ROLE);
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
            "GRANT EXECUTE ON FUNCTION {} TO {role}",
            functions(major).join(", ")
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
            "the role {ROLE} of {} was not made by cornac, or not as cornac makes it (a tenant \
             may have made or changed it to get its rights); its members are revoked, but no \
             backup runs until the superuser, through the instance's socket, runs `DROP OWNED \
             BY {ROLE}` in each database where it owns or holds anything, then `DROP ROLE \
             {ROLE}`: the next backup makes it anew",
            cluster.dir.display()
        )));
    }
    for statement in statements(major) {
        execute(&mut conn, &statement)?;
    }
    Ok(())
}
