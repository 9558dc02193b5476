//! The inventory: a PostgreSQL database that records every DB instance and DB snapshot, their
//! tags, events,
//! and the API's access keys. Queries take `&mut PgConnection` and are blocking: callers in
//! async code run them on a blocking thread.

pub mod accounts;
pub mod credentials;
pub mod events;
pub mod health;
pub mod iam;
pub mod instances;
pub mod job_state;
pub mod migrations;
pub mod pool;
pub mod retained;
pub mod schema;
pub mod snapshots;
pub mod tags;
pub mod windows;

pub use diesel::pg::PgConnection;
pub use diesel::result::{DatabaseErrorKind, Error as QueryError};
pub use diesel::Connection;
pub use job_state::JobState;
pub use pool::{pool, Pool, PooledConnection};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot reach the inventory database: {0}")]
    Unreachable(String),
    #[error("inventory query failed: {0}")]
    Query(#[from] QueryError),
    #[error("inventory migrations failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Credentials(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// The parts of a `postgres://` URL that describe where the inventory answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    pub user: String,
    pub password: String,
    pub host: String,
    pub port: u16,
    pub database: String,
}

impl UrlParts {
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |why: &str| Error::Unreachable(format!("inventory.url {why}"));
        let url = url::Url::parse(text).map_err(|e| bad(&format!("is not a URL: {e}")))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(bad("must start with postgres://"));
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let user = decode(url.username());
        Ok(Self {
            database: url.path().trim_start_matches('/').to_owned(),
            password: url.password().map(decode).unwrap_or_default(),
            host: url.host_str().ok_or_else(|| bad("has no host"))?.to_owned(),
            port: url.port().unwrap_or(5432),
            user,
        })
    }
}

/// The server's version, e.g. `15.18`.
pub fn server_version(conn: &mut PgConnection) -> Result<String> {
    use diesel::RunQueryDsl;
    let full: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
        "current_setting('server_version')",
    ))
    .get_result(conn)?;
    Ok(full
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned())
}

/// One connection, now.
pub fn connect(url: &str) -> Result<PgConnection> {
    PgConnection::establish(url).map_err(|e| Error::Unreachable(e.to_string()))
}
