//! `cornac migratedb [--check]`: bring the inventory schema up to date, or only say whether it is.

use crate::config::Config;
use cornac_inventory::migrations;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Apply pending inventory migrations (or, with --check, fail if any are pending)")]
pub struct Args {
    /// Change nothing; exit 1 when migrations are pending.
    #[arg(long)]
    pub check: bool,
}

pub fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut conn = super::inventory(config)?;
    let pending = migrations::pending(&mut conn)?;
    if args.check {
        for name in &pending {
            println!("pending: {name}");
        }
        if pending.is_empty() {
            println!("the inventory schema is current");
            return Ok(ExitCode::SUCCESS);
        }
        return Ok(ExitCode::FAILURE);
    }
    let applied = migrations::run_pending(&mut conn)?;
    for name in &applied {
        println!("applied: {name}");
    }
    if applied.is_empty() {
        println!("the inventory schema is current; nothing to apply");
    }
    Ok(ExitCode::SUCCESS)
}
