//! Where DB instances really run. Each module implements `cornac_domain::Provider`:
//! `local` runs one PostgreSQL cluster per instance on this host (the embedded default);
//! `pgcluster` makes a role and a database per instance on an existing server; `libvirt` clones
//! a template VM per instance and sets PostgreSQL up in it over SSH. `tenant` looks inside an
//! instance's database as its user (the postgraas API's password and session checks).

mod command;
mod install;
pub mod libvirt;
pub mod local;
mod master;
pub mod pgcluster;
mod sql;
pub mod tenant;

pub use libvirt::{LibvirtProvider, LibvirtSettings};
pub use local::{LocalProvider, LocalSettings};
pub use pgcluster::{PgClusterProvider, PgClusterSettings};
