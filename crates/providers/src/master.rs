//! The master user's role on the clusters Cornac runs itself (local and libvirt), and the SQL
//! that sets it up. Like RDS's master user it may create databases and manage roles, but it
//! can never reach the server's operating system: no superuser, no replication, no
//! `pg_execute_server_program`, `pg_read_server_files` or `pg_write_server_files`.
//!
//! PostgreSQL 16 confines `CREATEROLE` to the roles its holder has ADMIN on, so there the master
//! keeps it. On 15 and older `CREATEROLE` may grant any non-superuser role, those three
//! included (then `COPY … FROM PROGRAM` runs commands as the cluster's OS user), so the master
//! gets no `CREATEROLE` and manages its roles through `SECURITY DEFINER` functions in the schema
//! `_cornac` instead (see docs/providers.md, "Managing roles on PostgreSQL 15"). No master user
//! can be named so (names start with a letter), so the schema never stands in the way of a
//! master's `$user` schema in the search path.

use crate::sql::{ident, literal, password_statement};
use cornac_domain::ScramVerifier;

/// Predefined roles that reach the server's files or programs: no tenant role may hold them.
const SERVER_ROLES: [&str; 3] = [
    "pg_execute_server_program",
    "pg_read_server_files",
    "pg_write_server_files",
];

/// The first major whose `CREATEROLE` reaches only roles its holder has ADMIN on.
const CONFINED_CREATEROLE: u32 = 16;

/// Where the role functions go when the master is set up: databases made later are copies of
/// `template1`, so they have them too.
pub const FUNCTION_DATABASES: [&str; 2] = ["postgres", "template1"];

/// Every admin session first: nothing a tenant made can stand in for a catalog object.
const SAFE_SEARCH_PATH: &str = "SET search_path = pg_catalog, pg_temp";

fn confined(major: u32) -> bool {
    major >= CONFINED_CREATEROLE
}

/// `body` dollar-quoted with a tag it does not contain.
fn dollar_quoted(body: &str) -> String {
    let mut tag = String::from("cornac");
    while body.contains(&format!("${tag}$")) {
        tag.push('_');
    }
    format!("${tag}${body}${tag}$")
}

/// The SQL array of the server roles, for `= ANY(…)`.
fn server_roles_array() -> String {
    let names: Vec<String> = SERVER_ROLES.iter().map(|r| literal(r)).collect();
    format!("ARRAY[{}]::name[]", names.join(", "))
}

/// The master of an instance whose master Cornac does not know at hand (at a start): the first
/// role made after `initdb` that is not a superuser. Which role it picks matters little: the
/// role functions let their holder make only roles that can never be more than a tenant.
pub const MASTER_QUERY: &str =
    "(SELECT rolname::text FROM pg_roles WHERE oid >= 16384 AND NOT rolsuper ORDER BY oid LIMIT 1)";

/// Statements that take from every role that is not a superuser the server roles and, on
/// majors that do not confine it, `CREATEROLE` (an instance made by an older version let its
/// master grant itself those). No password changes: safe to run at every start, as the
/// superuser in the `postgres` database.
pub fn strip_statements(major: u32) -> Vec<String> {
    let strip_createrole = if confined(major) {
        ""
    } else {
        " FOR r IN SELECT rolname FROM pg_roles WHERE rolcreaterole AND NOT rolsuper LOOP \
         EXECUTE format('ALTER ROLE %I NOCREATEROLE', r.rolname); END LOOP;"
    };
    let strip = format!(
        "DECLARE r record; BEGIN \
         FOR r IN SELECT g.rolname AS granted, m.rolname AS member FROM pg_auth_members a \
         JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member \
         WHERE g.rolname = ANY({}) AND NOT m.rolsuper LOOP \
         EXECUTE format('REVOKE %I FROM %I', r.granted, r.member); END LOOP;{strip_createrole} \
         END",
        server_roles_array()
    );
    vec![
        SAFE_SEARCH_PATH.to_owned(),
        format!("DO {}", dollar_quoted(&strip)),
    ]
}

/// Statements that make (or bring up to date) the master role with its password, run in order
/// as the superuser in the `postgres` database, after `strip_statements`.
pub fn role_statements(role: &str, verifier: &ScramVerifier, major: u32) -> Vec<String> {
    let create_role = if confined(major) {
        "CREATEROLE"
    } else {
        "NOCREATEROLE"
    };
    let create = format!(
        "BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {}) THEN CREATE ROLE {}; \
         END IF; END",
        literal(role),
        ident(role)
    );
    let mut statements = strip_statements(major);
    statements.extend([
        format!("DO {}", dollar_quoted(&create)),
        format!(
            "ALTER ROLE {} WITH LOGIN NOSUPERUSER CREATEDB {create_role} NOREPLICATION \
             NOBYPASSRLS",
            ident(role)
        ),
        password_statement(role, verifier),
    ]);
    statements
}

/// The condition, in the role functions, that the master administers `role_name` (it was made
/// by `_cornac.create_role`) and that the role reaches nothing beyond what a tenant may.
fn administered(master: &str) -> String {
    format!(
        "EXISTS (SELECT FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid \
         JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = role_name AND m.rolname = {} \
         AND a.admin_option AND NOT (r.rolsuper OR r.rolcreaterole OR r.rolreplication \
         OR r.rolbypassrls))",
        literal(master)
    )
}

/// One `SECURITY DEFINER` function of the schema `_cornac`, owned by the superuser that runs it.
fn function(signature: &str, body: &str) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION _cornac.{signature} RETURNS void LANGUAGE plpgsql \
         SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS {}",
        dollar_quoted(body)
    )
}

/// Refuses, in a role function, a role the master does not administer.
fn refuse_unless_administered(master: &str, what: &str) -> String {
    format!(
        "IF NOT {} THEN RAISE EXCEPTION 'permission denied to {what} role %', role_name \
         USING ERRCODE = 'insufficient_privilege', \
         HINT = 'Only roles made with _cornac.create_role can be changed this way.'; END IF;",
        administered(master)
    )
}

/// Statements that install the master's role functions in the database they run in (the
/// superuser's session), or none on majors whose `CREATEROLE` is confined:
/// `_cornac.create_role(role_name, can_login DEFAULT true, password DEFAULT NULL)` makes a role
/// that can never be more than a tenant and grants it to the master WITH ADMIN OPTION;
/// `_cornac.set_role_password(role_name, password)` and `_cornac.drop_role(role_name)` work on
/// such roles only. Only the master may call them.
pub fn function_statements(master: &str, major: u32) -> Vec<String> {
    if confined(major) {
        return Vec::new();
    }
    let signatures =
        "_cornac.create_role(name, boolean, text), _cornac.set_role_password(name, text), \
                      _cornac.drop_role(name)";
    vec![
        SAFE_SEARCH_PATH.to_owned(),
        "CREATE SCHEMA IF NOT EXISTS _cornac".to_owned(),
        "REVOKE ALL ON SCHEMA _cornac FROM PUBLIC".to_owned(),
        format!("GRANT USAGE ON SCHEMA _cornac TO {}", ident(master)),
        function(
            "create_role(role_name name, can_login boolean DEFAULT true, password text DEFAULT NULL)",
            &format!(
                "BEGIN EXECUTE format('CREATE ROLE %I WITH %s NOSUPERUSER NOCREATEDB \
                 NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', role_name, \
                 CASE WHEN can_login THEN 'LOGIN' ELSE 'NOLOGIN' END, password); \
                 EXECUTE format('GRANT %I TO %I WITH ADMIN OPTION', role_name, {}); END",
                literal(master)
            ),
        ),
        function(
            "set_role_password(role_name name, password text)",
            &format!(
                "BEGIN {} EXECUTE format('ALTER ROLE %I PASSWORD %L', role_name, password); END",
                refuse_unless_administered(master, "change")
            ),
        ),
        function(
            "drop_role(role_name name)",
            &format!(
                "BEGIN {} EXECUTE format('DROP ROLE %I', role_name); END",
                refuse_unless_administered(master, "drop")
            ),
        ),
        format!("REVOKE ALL ON FUNCTION {signatures} FROM PUBLIC"),
        format!(
            "GRANT EXECUTE ON FUNCTION {signatures} TO {}",
            ident(master)
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn createrole_only_where_postgresql_confines_it() {
        let verifier = ScramVerifier::new("pw-pw-pw-pw");
        for (major, attribute) in [
            (14, "NOCREATEROLE"),
            (15, "NOCREATEROLE"),
            (16, "CREATEROLE"),
        ] {
            let statements = role_statements("app", &verifier, major);
            assert_eq!(
                statements[3],
                format!(
                    "ALTER ROLE \"app\" WITH LOGIN NOSUPERUSER CREATEDB {attribute} NOREPLICATION \
                     NOBYPASSRLS"
                ),
                "{major}"
            );
            assert!(statements[4].starts_with("ALTER ROLE \"app\" PASSWORD 'SCRAM-SHA-256$"));
            let strip = &statements[1];
            assert_eq!(strip_statements(major)[1], *strip);
            assert!(!strip_statements(major).join(";").contains("PASSWORD"));
            for role in SERVER_ROLES {
                assert!(strip.contains(&format!("'{role}'")), "{strip}");
            }
            assert_eq!(strip.contains("NOCREATEROLE"), major < 16, "{strip}");
            assert_eq!(function_statements("app", major).is_empty(), major >= 16);
        }
    }

    #[test]
    fn functions_are_the_masters_only_and_pin_their_search_path() {
        let statements = function_statements("o\"dd", 15);
        let text = statements.join(";\n");
        assert!(text.contains("GRANT USAGE ON SCHEMA _cornac TO \"o\"\"dd\""));
        assert!(text.contains("REVOKE ALL ON FUNCTION _cornac.create_role(name, boolean, text)"));
        assert_eq!(
            text.matches("SECURITY DEFINER SET search_path = pg_catalog, pg_temp")
                .count(),
            3
        );
        assert!(text.contains("GRANT EXECUTE ON FUNCTION _cornac.create_role(name, boolean, text), _cornac.set_role_password(name, text), _cornac.drop_role(name) TO \"o\"\"dd\""));
        assert!(text.contains("NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"));
        assert!(text.contains("m.rolname = 'o\"dd'"));
    }

    #[test]
    fn dollar_quotes_never_end_early() {
        assert_eq!(dollar_quoted("x"), "$cornac$x$cornac$");
        assert_eq!(dollar_quoted("a$cornac$b"), "$cornac_$a$cornac$b$cornac_$");
    }
}
