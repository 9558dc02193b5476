//! The worker, on apalis: one apalis worker (built with `WorkerBuilder`, run by a `Monitor`)
//! over our backend on the `jobs` table (`backend.rs`), with apalis's layers for tracing (a
//! span per run) and concurrency (`worker.concurrency` jobs at once, each on a blocking
//! thread), and the monitor's graceful shutdown: on the signal it stops claiming and waits for
//! running jobs, at most `worker.shutdown_grace_secs`. Beside it, our own ticks: the `workers`
//! heartbeat that `/readyz` reads, the reconciler (followed by the automated backup schedule,
//! `automated.rs`), and the restorable window refresh.

use crate::backend::JobsTable;
use crate::queue::Claimed;
use crate::step::JobError;
use crate::{handlers, listen};
use apalis::layers::tracing::TraceLayer;
use apalis::layers::WorkerBuilderExt;
use apalis_core::monitor::Monitor;
use apalis_core::task::data::Data;
use apalis_core::task::Task;
use apalis_core::worker::builder::WorkerBuilder;
use cornac_domain::Provider;
use cornac_inventory::Pool;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How often a worker tells the inventory it is alive (`/readyz` wants one within 30 s).
const HEARTBEAT: Duration = Duration::from_secs(10);

/// The `[worker]` section of the config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerSettings {
    /// Jobs one worker process runs at once.
    pub concurrency: u32,
    /// Attempts before an instance is marked `failed`.
    pub max_attempts: u32,
    /// The first retry waits this long; each next one twice as long, up to `backoff_max_ms`.
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
    /// A job whose worker stops renewing its lease this long is taken over by another.
    pub lease_secs: u64,
    /// How often to look for jobs when no notification came.
    pub poll_secs: u64,
    /// How long shutdown waits for running jobs.
    pub shutdown_grace_secs: u64,
    /// How often the reconciler compares the inventory with what the provider runs.
    pub reconcile_secs: u64,
    /// How often the restorable window of instances that keep backups is read again
    /// (`LatestRestorableTime` is at most this far behind what the provider can restore).
    pub window_secs: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            concurrency: 4,
            max_attempts: 5,
            backoff_base_ms: 1000,
            backoff_max_ms: 60_000,
            lease_secs: 60,
            poll_secs: 5,
            shutdown_grace_secs: 30,
            reconcile_secs: 30,
            window_secs: 10,
        }
    }
}

pub struct Worker {
    pub inventory: Pool,
    /// For the dedicated `LISTEN` connection.
    pub inventory_url: String,
    pub provider: Arc<dyn Provider>,
    pub settings: WorkerSettings,
    pub name: String,
}

/// What the backend, its middleware and the job function share.
pub(crate) struct Shared {
    pub inventory: Pool,
    pub provider: Arc<dyn Provider>,
    pub settings: WorkerSettings,
    pub name: String,
    /// Woken by `NOTIFY` and when a job ends; the backend waits on it when nothing is runnable.
    pub wake: Arc<Notify>,
}

impl Shared {
    pub fn connection(&self) -> Option<cornac_inventory::PooledConnection> {
        self.inventory
            .get()
            .map_err(|e| tracing::warn!(error = %e, "inventory unavailable"))
            .ok()
    }

    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.settings.lease_secs)
    }

    fn heartbeat(&self) {
        let Some(mut conn) = self.connection() else {
            return;
        };
        if let Err(e) = cornac_inventory::health::heartbeat(&mut conn, &self.name) {
            tracing::warn!(error = %e, "cannot record the worker's heartbeat");
        }
    }

    fn reconcile(&self) {
        let Some(mut conn) = self.connection() else {
            return;
        };
        match crate::reconcile::reconcile(&mut conn, self.provider.as_ref()) {
            Ok(report) if report != crate::reconcile::Report::default() => {
                tracing::info!(?report, "reconciled")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reconciler failed; it runs again later"),
        }
        let kind = self.provider.kind();
        match crate::automated::tick(&mut conn, kind, chrono::Utc::now()) {
            Ok(report) if report != crate::automated::Report::default() => {
                tracing::info!(?report, "automated backups")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "automated backups failed; they run again later"),
        }
    }

    fn refresh_windows(&self) {
        let Some(mut conn) = self.connection() else {
            return;
        };
        match crate::window::refresh(&mut conn, self.provider.as_ref()) {
            Ok(report) if report.failed > 0 => tracing::warn!(?report, "restorable windows"),
            Ok(report) => tracing::debug!(?report, "restorable windows"),
            Err(e) => tracing::warn!(error = %e, "window refresh failed; it runs again later"),
        }
    }
}

impl Worker {
    /// Run until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let shared = Arc::new(Shared {
            inventory: self.inventory,
            provider: self.provider,
            settings: self.settings,
            name: self.name,
            wake: Arc::new(Notify::new()),
        });
        let _listening = listen::spawn(self.inventory_url, shared.wake.clone());
        let first = shared.clone();
        let _ = tokio::task::spawn_blocking(move || first.heartbeat()).await;
        let ticks = tokio::spawn(ticks(shared.clone()));
        tracing::info!(worker = %shared.name, concurrency = shared.settings.concurrency, "worker ready, waiting for jobs");
        let grace = Duration::from_secs(shared.settings.shutdown_grace_secs);
        let late = Arc::new(AtomicBool::new(false));
        let timed_out = late.clone();
        let factory = shared.clone();
        let monitor = Monitor::new()
            .register(move |_| {
                WorkerBuilder::new(factory.name.clone())
                    .backend(JobsTable::new(factory.clone()))
                    .data(factory.clone())
                    .concurrency(factory.settings.concurrency.max(1) as usize)
                    .layer(TraceLayer::new().make_span_with(|task: &Task<Claimed>| {
                        tracing::info_span!("run", attempt = task.args.attempt)
                    }))
                    .build(run)
            })
            // Awaited once the signal came: how long running jobs may take to finish.
            .with_terminator(async move {
                tokio::time::sleep(grace).await;
                timed_out.store(true, Ordering::Relaxed);
            });
        let signal = async move {
            while !*shutdown.borrow_and_update() {
                if shutdown.changed().await.is_err() {
                    break;
                }
            }
            Ok(())
        };
        if let Err(e) = monitor.run_with_signal(signal).await {
            tracing::error!(error = %e, "the worker stopped on an error");
        }
        ticks.abort();
        if late.load(Ordering::Relaxed) {
            tracing::warn!("running jobs did not finish in time; their leases will lapse and another worker will take them over");
        }
        tracing::info!(worker = %shared.name, "worker stopped");
    }
}

/// The heartbeat, the reconciler and the window refresh, each on its interval, until aborted.
async fn ticks(shared: Arc<Shared>) {
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    let mut reconcile = tokio::time::interval(Duration::from_secs(shared.settings.reconcile_secs));
    let mut window = tokio::time::interval(Duration::from_secs(shared.settings.window_secs.max(1)));
    heartbeat.tick().await;
    loop {
        let shared = shared.clone();
        tokio::select! {
            _ = heartbeat.tick() => {
                let _ = tokio::task::spawn_blocking(move || shared.heartbeat()).await;
            }
            _ = reconcile.tick() => {
                let _ = tokio::task::spawn_blocking(move || shared.reconcile()).await;
            }
            _ = window.tick() => {
                let _ = tokio::task::spawn_blocking(move || shared.refresh_windows()).await;
            }
        }
    }
}

/// The job function apalis calls: run the handler on a blocking thread, in the job's span.
async fn run(claimed: Claimed, shared: Data<Arc<Shared>>) -> Result<(), JobError> {
    let kind = claimed.kind.as_str();
    tracing::info!(attempt = claimed.attempt, "job started");
    metrics::counter!("cornac_jobs_started_total", "kind" => kind).increment(1);
    if claimed.attempt == 1 {
        metrics::histogram!("cornac_job_pickup_seconds", "kind" => kind)
            .record(claimed.pickup_secs.max(0.0));
    }
    let shared = Arc::clone(&shared);
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        span.in_scope(|| handlers::run(claimed.job(), &shared.inventory, shared.provider.as_ref()))
    })
    .await
    .map_err(|e| JobError::Transient(format!("the job's thread failed: {e}")))?
}
