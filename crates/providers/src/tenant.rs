//! Looking inside a tenant's database as its own user, over the network like any client:
//! whether a password logs in, and how many other sessions use the database. The postgraas
//! API asks this before a delete; whatever the provider, the instance answers at its endpoint.

use crate::sql::conninfo_value;
use cornac_domain::Endpoint;
use diesel::pg::PgConnection;
use diesel::sql_types::BigInt;
use diesel::{Connection, RunQueryDsl};

/// Who logs in, where.
#[derive(Debug, Clone, Copy)]
pub struct Login<'a> {
    pub endpoint: &'a Endpoint,
    pub user: &'a str,
    pub password: &'a str,
    pub database: &'a str,
}

/// Why the check gave no count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantError {
    /// The server refused the password.
    #[error("wrong password")]
    WrongPassword,
    /// No answer, or a refusal other than the password's.
    #[error("cannot reach the database: {0}")]
    Unreachable(String),
    /// Logged in, but the count failed.
    #[error("cannot count sessions: {0}")]
    Query(String),
}

/// Log in as `login` and count the other sessions on its database.
pub fn other_sessions(login: Login<'_>) -> Result<i64, TenantError> {
    let url = format!(
        "host={} port={} user={} password={} dbname={} connect_timeout=10",
        conninfo_value(&login.endpoint.address),
        login.endpoint.port,
        conninfo_value(login.user),
        conninfo_value(login.password),
        conninfo_value(login.database),
    );
    let mut conn = PgConnection::establish(&url).map_err(|e| {
        if e.to_string().contains("password authentication failed") {
            TenantError::WrongPassword
        } else {
            TenantError::Unreachable(e.to_string())
        }
    })?;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .get_result::<Count>(&mut conn)
    .map(|c| c.n)
    .map_err(|e| TenantError::Query(e.to_string()))
}
