//! Where DB instances really run. Each module implements `cornac_domain::Provider`:
//! `local` runs one PostgreSQL cluster per instance on this host (the embedded default);
//! `pgcluster` makes a role and a database per instance on an existing server.

mod command;
pub mod local;
pub mod pgcluster;
mod sql;

pub use local::{LocalProvider, LocalSettings};
pub use pgcluster::{PgClusterProvider, PgClusterSettings};
