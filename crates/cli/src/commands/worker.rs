//! `cornac worker`: the worker alone, on the same inventory as the API, until SIGINT or SIGTERM
//! (running jobs get `worker.shutdown_grace_secs` to finish).

use crate::config::Config;
use cornac_jobs::Worker;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Run the worker that provisions instances")]
pub struct Args {}

pub fn run(config: &Config, _args: Args) -> anyhow::Result<ExitCode> {
    let mut conn = super::inventory(config)?;
    super::require_current_schema(&mut conn)?;
    drop(conn);
    let worker = build(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let running = tokio::spawn(worker.run(stopped));
        shutdown_signal().await;
        let _ = stop.send(true);
        let _ = running.await;
    });
    Ok(ExitCode::SUCCESS)
}

/// A worker named after this host and process.
pub fn build(config: &Config) -> anyhow::Result<Worker> {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    Ok(Worker {
        inventory: cornac_inventory::pool(config.inventory_url()?, config.inventory.pool_size),
        inventory_url: config.inventory_url()?.to_owned(),
        provider: super::provider(config)?,
        settings: config.worker.clone(),
        name: format!("{}-{}", host.trim(), std::process::id()),
    })
}

async fn shutdown_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(e) => {
            tracing::warn!(error = %e, "cannot watch SIGTERM; stopping on SIGINT only");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
