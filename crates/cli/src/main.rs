//! `cornac`: the one binary. Parses flags, sets up logging, runs a subcommand.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cornac::Cli::parse();
    cornac::telemetry::init();
    match cornac::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cornac: {e:#}");
            ExitCode::FAILURE
        }
    }
}
