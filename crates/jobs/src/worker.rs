//! The worker: waits for jobs (woken by `NOTIFY`, with a slow poll as a fallback), runs up to
//! `concurrency` at once on blocking threads while renewing their leases, retries transient
//! failures with exponential backoff and jitter, and marks the instance `failed` after the last
//! attempt. On shutdown it stops claiming and lets running jobs finish, for a bounded time.

use crate::step::{self, JobError};
use crate::{handlers, queue};
use cornac_domain::Provider;
use cornac_inventory::{events, instances, Connection, PgConnection, Pool};
use diesel::RunQueryDsl;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify, Semaphore};

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

impl Worker {
    /// Run until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        let wake = Arc::new(Notify::new());
        let listening = Arc::new(std::sync::atomic::AtomicBool::new(true));
        listen(this.inventory_url.clone(), wake.clone(), listening.clone());
        let slots = Arc::new(Semaphore::new(this.settings.concurrency as usize));
        let mut reconcile =
            tokio::time::interval(Duration::from_secs(this.settings.reconcile_secs));
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        let worker = this.clone();
        let _ = tokio::task::spawn_blocking(move || worker.heartbeat()).await;
        heartbeat.tick().await;
        tracing::info!(worker = %this.name, concurrency = this.settings.concurrency, "worker ready, waiting for jobs");
        loop {
            while let Ok(slot) = slots.clone().try_acquire_owned() {
                let worker = this.clone();
                let claimed = tokio::task::spawn_blocking(move || worker.claim())
                    .await
                    .ok()
                    .flatten();
                let Some(claimed) = claimed else { break };
                let (worker, wake) = (this.clone(), wake.clone());
                tokio::spawn(async move {
                    worker.execute(claimed).await;
                    drop(slot);
                    wake.notify_one();
                });
            }
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = heartbeat.tick() => {
                    let worker = this.clone();
                    let _ = tokio::task::spawn_blocking(move || worker.heartbeat()).await;
                }
                _ = reconcile.tick() => {
                    let worker = this.clone();
                    let _ = tokio::task::spawn_blocking(move || worker.reconcile()).await;
                }
                _ = wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(this.settings.poll_secs)) => {}
            }
        }
        listening.store(false, std::sync::atomic::Ordering::Relaxed);
        let grace = Duration::from_secs(this.settings.shutdown_grace_secs);
        let all = this.settings.concurrency;
        if tokio::time::timeout(grace, slots.acquire_many(all))
            .await
            .is_err()
        {
            tracing::warn!("running jobs did not finish in time; their leases will lapse and another worker will take them over");
        }
        tracing::info!(worker = %this.name, "worker stopped");
    }

    fn connection(&self) -> Option<cornac_inventory::PooledConnection> {
        self.inventory
            .get()
            .map_err(|e| tracing::warn!(error = %e, "inventory unavailable"))
            .ok()
    }

    fn claim(&self) -> Option<queue::Claimed> {
        let mut conn = self.connection()?;
        queue::claim(&mut conn, &self.name, self.lease())
            .map_err(|e| tracing::warn!(error = %e, "cannot claim a job"))
            .ok()
            .flatten()
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
    }

    fn lease(&self) -> Duration {
        Duration::from_secs(self.settings.lease_secs)
    }

    /// Run one claimed job on a blocking thread, renewing its lease meanwhile.
    async fn execute(self: Arc<Self>, claimed: queue::Claimed) {
        let worker = self.clone();
        let job = claimed.clone();
        let mut running = tokio::task::spawn_blocking(move || worker.run_job(&job));
        let mut renew = tokio::time::interval(self.lease() / 3);
        renew.tick().await;
        loop {
            tokio::select! {
                _ = &mut running => break,
                _ = renew.tick() => {
                    let worker = self.clone();
                    let id = claimed.id;
                    let _ = tokio::task::spawn_blocking(move || {
                        let mut conn = worker.connection()?;
                        queue::extend(&mut conn, id, &worker.name, worker.lease()).ok()
                    }).await;
                }
            }
        }
    }

    fn run_job(&self, claimed: &queue::Claimed) {
        let job = claimed.job;
        let kind = queue::kind_name(job.kind);
        let span = tracing::info_span!(
            "job",
            job_id = claimed.id,
            kind,
            instance_id = job.instance_id
        );
        let _entered = span.enter();
        tracing::info!(attempt = claimed.attempt, "job started");
        metrics::counter!("cornac_jobs_started_total", "kind" => kind).increment(1);
        if claimed.attempt == 1 {
            metrics::histogram!("cornac_job_pickup_seconds", "kind" => kind)
                .record(claimed.pickup_secs.max(0.0));
        }
        let started = std::time::Instant::now();
        let outcome = handlers::run(job, &self.inventory, self.provider.as_ref());
        let result = match &outcome {
            Ok(()) => "succeeded",
            Err(JobError::Refused(_)) => "refused",
            Err(JobError::Transient(_)) if self.retries_left(claimed) => "retried",
            Err(_) => "failed",
        };
        metrics::counter!("cornac_jobs_finished_total", "kind" => kind, "result" => result)
            .increment(1);
        metrics::histogram!("cornac_job_duration_seconds", "kind" => kind, "result" => result)
            .record(started.elapsed().as_secs_f64());
        let Some(mut conn) = self.connection() else {
            return;
        };
        let recorded = match outcome {
            Ok(()) => {
                tracing::info!(?job, "job done");
                queue::complete(&mut conn, claimed.id).map_err(|e| e.to_string())
            }
            Err(JobError::Transient(e)) if self.retries_left(claimed) => {
                let delay = self.backoff(claimed.attempt);
                tracing::warn!(?job, attempt = claimed.attempt, error = %e, ?delay, "job failed; will retry");
                self.retry(&mut conn, claimed, &e, delay)
            }
            Err(JobError::Refused(reason)) => {
                tracing::warn!(?job, %reason, "job refused; the instance is left as it is");
                step::refused(&mut conn, claimed.id, job.instance_id, &reason)
                    .map_err(|e| e.to_string())
            }
            Err(e) => {
                tracing::error!(?job, attempt = claimed.attempt, error = %e, "job failed for good");
                let reason = e.to_string();
                conn.transaction::<_, JobError, _>(|conn| {
                    queue::give_up(conn, claimed.id, &reason)?;
                    step::fail(conn, job.instance_id, &reason)
                })
                .map_err(|e| e.to_string())
            }
        };
        if let Err(e) = recorded {
            tracing::error!(?job, error = %e, "cannot record the job's outcome; its lease will lapse and it will run again");
        }
    }

    fn retries_left(&self, claimed: &queue::Claimed) -> bool {
        claimed.attempt < i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX)
    }

    fn retry(
        &self,
        conn: &mut PgConnection,
        claimed: &queue::Claimed,
        error: &str,
        delay: Duration,
    ) -> Result<(), String> {
        conn.transaction::<_, JobError, _>(|conn| {
            queue::retry(conn, claimed.id, delay, error)?;
            if let Some(row) = instances::get(conn, claimed.job.instance_id)? {
                let message = format!(
                    "Attempt {} failed: {error}; retrying in {:.1}s",
                    claimed.attempt,
                    delay.as_secs_f64()
                );
                events::record(conn, &row.identifier, &row.arn, "notification", &message)?;
            }
            Ok(())
        })
        .map_err(|e| e.to_string())
    }

    /// Exponential backoff with ±50 % jitter.
    fn backoff(&self, attempt: i32) -> Duration {
        let exp = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(20);
        let base = self
            .settings
            .backoff_base_ms
            .saturating_mul(1 << exp)
            .min(self.settings.backoff_max_ms);
        let jitter = rand::thread_rng().gen_range(0.5..1.5);
        Duration::from_millis((base as f64 * jitter) as u64)
    }
}

/// A thread that holds a `LISTEN cornac_jobs` connection and wakes the worker on each
/// notification; it reconnects when the inventory comes back after an outage.
fn listen(url: String, wake: Arc<Notify>, listening: Arc<std::sync::atomic::AtomicBool>) {
    std::thread::spawn(move || {
        while listening.load(std::sync::atomic::Ordering::Relaxed) {
            let conn = cornac_inventory::connect(&url).and_then(|mut c| {
                diesel::sql_query(format!("LISTEN {}", queue::CHANNEL))
                    .execute(&mut c)
                    .map(|_| c)
                    .map_err(cornac_inventory::Error::from)
            });
            let mut conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::debug!(error = %e, "cannot listen for jobs; polling meanwhile");
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            // Catch up on anything that arrived while we were not listening.
            wake.notify_one();
            'poll: while listening.load(std::sync::atomic::Ordering::Relaxed) {
                for note in conn.notifications_iter() {
                    match note {
                        Ok(_) => wake.notify_one(),
                        Err(_) => break 'poll,
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
}
