//! SQL for the providers' admin connections: quoting for the statements that cannot take bind parameters (CREATE ROLE, CREATE
//! DATABASE, ALTER ROLE … PASSWORD), and libpq connection-string quoting.

use cornac_domain::ProviderError;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::RunQueryDsl;

/// `"name"` with embedded quotes doubled: safe for any identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with embedded quotes doubled (standard_conforming_strings is on since 9.1).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A libpq conninfo value: quoted, with `\` and `'` escaped.
pub fn conninfo_value(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `EXISTS(<query> $1)` with `value` bound.
pub fn exists(conn: &mut PgConnection, query: &str, value: &str) -> Result<bool, ProviderError> {
    diesel::select(
        diesel::dsl::sql::<Bool>(&format!("EXISTS({query}"))
            .bind::<Text, _>(value)
            .sql(")"),
    )
    .get_result(conn)
    .map_err(|e| ProviderError::Transient(format!("query failed: {e}")))
}

/// The value of the text expression `expression`, `None` when it is NULL.
pub fn text(conn: &mut PgConnection, expression: &str) -> Result<Option<String>, ProviderError> {
    diesel::select(diesel::dsl::sql::<Nullable<Text>>(expression))
        .get_result(conn)
        .map_err(|e| ProviderError::Transient(format!("query failed: {e}")))
}

pub fn execute(conn: &mut PgConnection, statement: &str) -> Result<(), ProviderError> {
    diesel::sql_query(statement)
        .execute(conn)
        .map(drop)
        .map_err(|e| ProviderError::Transient(format!("statement failed: {e}")))
}

/// `ALTER ROLE … PASSWORD …` from a SCRAM verifier (PostgreSQL stores it as given).
pub fn password_statement(role: &str, verifier: &cornac_domain::ScramVerifier) -> String {
    format!(
        "ALTER ROLE {} PASSWORD {}",
        ident(role),
        literal(verifier.as_str())
    )
}

/// Set a role's password from a SCRAM verifier.
pub fn set_password(
    conn: &mut PgConnection,
    role: &str,
    verifier: &cornac_domain::ScramVerifier,
) -> Result<(), ProviderError> {
    execute(conn, &password_statement(role, verifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(conninfo_value("/a b/c'd\\"), "'/a b/c\\'d\\\\'");
        assert_eq!(
            ident("x\"; DROP TABLE t; --é"),
            "\"x\"\"; DROP TABLE t; --é\""
        );
        assert_eq!(
            literal("'; DROP ROLE r; -- ünï"),
            "'''; DROP ROLE r; -- ünï'"
        );
    }
}
