//! Where DB instances really run. Each module implements `cornac_domain::Provider`:
//! `local` runs one PostgreSQL cluster per instance on this host (the embedded default).

mod command;
pub mod local;
mod sql;

pub use local::{LocalProvider, LocalSettings};
