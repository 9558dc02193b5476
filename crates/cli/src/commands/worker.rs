//! `cornac worker`: the worker alone, on the same inventory as the API. For now it connects and
//! waits for jobs until SIGINT or SIGTERM; the job kinds arrive with the RDS actions.

use crate::config::Config;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Run the worker that provisions instances")]
pub struct Args {}

pub fn run(config: &Config, _args: Args) -> anyhow::Result<ExitCode> {
    let mut conn = super::inventory(config)?;
    super::require_current_schema(&mut conn)?;
    drop(conn);
    let pool = cornac_inventory::pool(config.inventory_url()?, config.inventory.pool_size);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let worker = tokio::spawn(serve(pool));
        shutdown_signal().await;
        worker.abort();
    });
    tracing::info!("worker stopped");
    Ok(ExitCode::SUCCESS)
}

/// The worker's loop: runs until the task is aborted.
pub async fn serve(_inventory: cornac_inventory::Pool) {
    tracing::info!("worker ready, waiting for jobs");
    std::future::pending::<()>().await;
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
