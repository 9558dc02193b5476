//! `cornac run`: serve the HTTP API (and, unless `--no-worker`, the worker in the same process)
//! until SIGINT or SIGTERM. Starts the inventory's local cluster first when it is down.

use crate::config::Config;
use anyhow::Context;
use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Serve the RDS API (and the worker, unless --no-worker)")]
pub struct Args {
    /// Address to serve HTTP on (default: service.listen, 127.0.0.1:5000).
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Serve the API only; run `cornac worker` elsewhere.
    #[arg(long)]
    pub no_worker: bool,
}

pub fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let listen = args.listen.unwrap_or(config.service.listen);
    let mut conn = super::inventory(config)?;
    super::require_current_schema(&mut conn)?;
    drop(conn);
    let listener = TcpListener::bind(listen).with_context(|| {
        format!("cannot listen on {listen} (choose another with --listen or service.listen)")
    })?;
    let state = cornac_api::AppState {
        inventory: cornac_inventory::pool(config.inventory_url()?, config.inventory.pool_size),
    };
    tracing::info!(%listen, worker = !args.no_worker, "cornac is serving");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let worker =
            (!args.no_worker).then(|| tokio::spawn(super::worker::serve(state.inventory.clone())));
        let served = cornac_api::serve(listener, state).await;
        if let Some(worker) = worker {
            worker.abort();
        }
        served
    })?;
    tracing::info!("cornac stopped");
    Ok(ExitCode::SUCCESS)
}
