//! The inventory: a PostgreSQL database that records every DB instance, its tags and events,
//! and the API's access keys. Queries take `&mut PgConnection` and are blocking: callers in
//! async code run them on a blocking thread.

pub mod credentials;
pub mod events;
pub mod instances;
pub mod migrations;
pub mod schema;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool as R2d2Pool};
use std::time::Duration;

pub use diesel::result::Error as QueryError;
pub use diesel::Connection;

pub type Pool = R2d2Pool<ConnectionManager<PgConnection>>;

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

/// A connection pool that connects lazily, so a process can start while the inventory is down
/// and recover by itself when it comes back.
pub fn pool(url: &str, size: u32) -> Pool {
    R2d2Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(ConnectionManager::new(url))
}

/// One connection, now.
pub fn connect(url: &str) -> Result<PgConnection> {
    PgConnection::establish(url).map_err(|e| Error::Unreachable(e.to_string()))
}
