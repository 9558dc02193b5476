//! One module per subcommand; `run` loads what each needs and dispatches.

pub mod access_key;
pub mod account;
pub mod bootstrap;
pub mod generate_credentials;
pub mod inspect;
pub mod migratedb;
pub mod recover;
pub mod run;
pub mod worker;

use crate::config::Config;
use crate::{Cli, Command};
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Bootstrap(args) => bootstrap::run(&cli.config, args),
        Command::Account(args) => account::run(&cli.config, args),
        Command::AccessKey(args) => access_key::run(&cli.config, args),
        Command::GenerateCredentials(args) => generate_credentials::run(&cli.config, args),
        Command::Run(args) => run::run(&load(&cli.config)?, args),
        Command::Worker(args) => worker::run(&load(&cli.config)?, args),
        Command::Migratedb(args) => migratedb::run(&load(&cli.config)?, args),
        Command::Inspect(args) => inspect::run(&load(&cli.config)?, args),
        Command::Recover(args) => recover::run(&load(&cli.config)?, args),
    }
}

/// The configuration of an installed service: the file must exist.
pub fn load(path: &Path) -> anyhow::Result<Config> {
    Ok(Config::load(path, true, std::env::vars())?)
}

/// A connection to the inventory, starting its local cluster first if it is down.
pub fn inventory(config: &Config) -> anyhow::Result<cornac_inventory::PgConnection> {
    crate::inventory_cluster::ensure_running(config)?;
    Ok(cornac_inventory::connect(config.inventory_url()?)?)
}

/// The provider the config names.
pub use crate::provider::provider;

/// Fail unless the inventory schema is current.
pub fn require_current_schema(conn: &mut cornac_inventory::PgConnection) -> anyhow::Result<()> {
    let pending = cornac_inventory::migrations::pending(conn)?;
    if !pending.is_empty() {
        anyhow::bail!(
            "the inventory schema is behind ({} pending migrations): run `cornac migratedb`",
            pending.len()
        );
    }
    Ok(())
}
