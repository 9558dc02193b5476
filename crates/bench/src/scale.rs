//! Scale: `DescribeDBInstances` latency (one instance, and a page of 100) with inventories of
//! growing size, one client at a time. A page must not cost more as the inventory grows.

use crate::api::{cornac, in_deployment_dir, load, SCENARIOS};
use crate::stats::{ms, percentile};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The cornac binary to measure.
    #[arg(long, default_value = "target/release/cornac")]
    pub cornac: PathBuf,
    /// Inventory sizes to measure.
    #[arg(long, value_delimiter = ',', default_value = "10,1000,10000")]
    pub sizes: Vec<usize>,
    /// Requests for each figure.
    #[arg(long, default_value_t = 500)]
    pub requests: usize,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let binary = std::path::absolute(&args.cornac)?;
    println!("### Scale: `DescribeDBInstances` as the inventory grows (concurrency 1)\n");
    println!(
        "Command: `cargo run --release -p cornac-bench -- scale --sizes {} --requests {}`\n",
        args.sizes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        args.requests
    );
    println!(
        "| instances | one: p50 ms | one: p99 ms | page of 100: p50 ms | page of 100: p99 ms |"
    );
    println!("|---|---|---|---|---|");
    for &size in &args.sizes {
        in_deployment_dir(|dir| {
            let server = cornac(&binary, dir, size, false, &[])?;
            let mut cells = Vec::new();
            for (_, body) in &SCENARIOS[..2] {
                let (_, times) = load(&server, body, args.requests, 1)?;
                cells.push(ms(percentile(&times, 50.0)));
                cells.push(ms(percentile(&times, 99.0)));
            }
            println!("| {size} | {} |", cells.join(" | "));
            Ok(())
        })?;
    }
    Ok(())
}
