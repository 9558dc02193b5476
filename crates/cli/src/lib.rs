//! The `cornac` command line: subcommands, configuration loading and logging.

pub mod commands;
pub mod config;
mod inventory_cluster;
mod progress;
pub mod provider;
pub mod telemetry;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "cornac",
    version,
    about = "A self-hosted PostgreSQL service that speaks the AWS RDS API"
)]
pub struct Cli {
    /// The configuration file.
    #[arg(
        long,
        global = true,
        env = "CORNAC_CONFIG",
        default_value = "cornac.toml"
    )]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Bootstrap(commands::bootstrap::Args),
    Account(commands::account::Args),
    AccessKey(commands::access_key::Args),
    GenerateCredentials(commands::generate_credentials::Args),
    Run(commands::run::Args),
    Worker(commands::worker::Args),
    Migratedb(commands::migratedb::Args),
    Inspect(commands::inspect::Args),
    Recover(commands::recover::Args),
}
