//! `cornac run`: serve the HTTP API (and, unless `--no-worker`, the worker in the same process)
//! until SIGINT or SIGTERM. Starts the inventory's local cluster first when it is down.

use crate::config::Config;
use anyhow::Context;
use cornac_api::{AppState, Quotas};
use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;
use std::sync::Arc;

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
    config.postgraas.check(listen).map_err(anyhow::Error::msg)?;
    let mut conn = super::inventory(config)?;
    super::require_current_schema(&mut conn)?;
    // An inventory an older version let someone rename is found by its resource id.
    if !config.inventory.resource_id.is_empty() {
        cornac_inventory::instances::mark_system(&mut conn, &config.inventory.resource_id)?;
    }
    cornac_inventory::accounts::adopt(&mut conn, &config.service.account_id)?;
    let mut postgraas = config.postgraas.clone();
    postgraas.account = postgraas_account(&mut conn, &postgraas.account)?;
    drop(conn);
    let listener = TcpListener::bind(listen).with_context(|| {
        format!("cannot listen on {listen} (choose another with --listen or service.listen)")
    })?;
    let worker = super::worker::build(config)?;
    let state = AppState {
        inventory: worker.inventory.clone(),
        encryption_key: Arc::new(config.encryption_key()?),
        region: config.service.region.clone(),
        provider_kind: worker.provider.kind(),
        engine_versions: worker.provider.engine_versions()?,
        ports: worker.provider.ports(),
        point_in_time: worker.provider.point_in_time(),
        quotas: Quotas {
            max_instances: config.quotas.max_instances,
            max_storage_gib: config.quotas.max_storage_gib,
            max_manual_snapshots: config.quotas.max_manual_snapshots,
        },
        max_body_bytes: config.service.max_body_bytes,
        client_timeout: std::time::Duration::from_secs(config.service.client_timeout_secs),
        postgraas,
        postgraas_guesses: Default::default(),
        policies: Default::default(),
        metrics: Some(
            metrics_exporter_prometheus::PrometheusBuilder::new()
                .install_recorder()
                .context("cannot install the metrics recorder")?,
        ),
    };
    tracing::info!(%listen, worker = !args.no_worker, "cornac is serving");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let running = (!args.no_worker).then(|| tokio::spawn(worker.run(stopped)));
        // Returns on SIGINT or SIGTERM, after in-flight requests are answered.
        let served = cornac_api::serve(listener, state).await;
        let _ = stop.send(true);
        if let Some(running) = running {
            let _ = running.await;
        }
        served
    })?;
    tracing::info!("cornac stopped");
    Ok(ExitCode::SUCCESS)
}

/// The account postgraas acts for: `configured` (`postgraas.account`), which must be one, or
/// the first account.
fn postgraas_account(
    conn: &mut cornac_inventory::PgConnection,
    configured: &str,
) -> anyhow::Result<String> {
    use cornac_inventory::accounts;
    if configured.is_empty() {
        return Ok(accounts::first(conn)?.id);
    }
    match accounts::get(conn, configured)? {
        Some(account) if !account.system => Ok(account.id),
        _ => {
            anyhow::bail!("postgraas.account: no account {configured} (see `cornac account list`)")
        }
    }
}
