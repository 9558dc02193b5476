//! The backend's middleware, around every job the worker runs: it renews the job's lease while
//! the job runs (the heartbeat that keeps other workers off it), then records how the job
//! ended, in the inventory: done; queued again after an exponential backoff with jitter (a
//! transient failure with attempts left, with an event); refused; or failed for good, the
//! instance marked `failed` with the reason. Retries are ours, not apalis's `RetryLayer`: a
//! retry is a row queued again, so it survives the worker's death, another worker may take
//! it, and the attempt count lives in the row.

use crate::queue::{self, Claimed};
use crate::step::{self, JobError};
use crate::worker::Shared;
use apalis_core::error::BoxDynError;
use apalis_core::layers::{Layer, Service};
use apalis_core::task::Task;
use cornac_inventory::{Connection, PgConnection};
use rand::Rng;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tracing::Instrument;

pub struct AckLayer(Arc<Shared>);

impl AckLayer {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self(shared)
    }
}

impl<S> Layer<S> for AckLayer {
    type Service = Ack<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Ack {
            inner,
            shared: self.0.clone(),
        }
    }
}

pub struct Ack<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> Service<Task<Claimed>> for Ack<S>
where
    S: Service<Task<Claimed>>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    S::Error: Into<BoxDynError> + Send + 'static,
{
    type Response = S::Response;
    type Error = BoxDynError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxDynError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, task: Task<Claimed>) -> Self::Future {
        let claimed = task.args.clone();
        let span = job_span(&claimed);
        // Inside the job's span, so the span apalis's TraceLayer makes for the run is its child.
        let running = span.in_scope(|| self.inner.call(task));
        let shared = self.shared.clone();
        Box::pin(
            async move {
                let started = Instant::now();
                let result = renewing(&shared, claimed.id, running)
                    .await
                    .map_err(Into::into);
                let outcome = match &result {
                    Ok(_) => Ok(()),
                    Err(e) => Err(job_error(e)),
                };
                let ack = shared.clone();
                let span = tracing::Span::current();
                let _ = tokio::task::spawn_blocking(move || {
                    span.in_scope(|| record(&ack, &claimed, outcome, started.elapsed()))
                })
                .await;
                // A slot is free, and a job this one held back may now be runnable.
                shared.wake.notify_one();
                result
            }
            .instrument(span),
        )
    }
}

/// The span every line about a job carries.
fn job_span(claimed: &Claimed) -> tracing::Span {
    tracing::info_span!(
        "job",
        job_id = claimed.id,
        kind = claimed.kind.as_str(),
        instance_id = claimed.instance_id
    )
}

/// What the handler's error was; anything else (a panic, a layer's error) is worth retrying.
fn job_error(e: &BoxDynError) -> JobError {
    e.downcast_ref::<JobError>()
        .cloned()
        .unwrap_or_else(|| JobError::Transient(e.to_string()))
}

/// Await `running`, renewing the lease of job `id` every third of the lease meanwhile.
async fn renewing<F: Future>(shared: &Arc<Shared>, id: i64, running: F) -> F::Output {
    let mut running = std::pin::pin!(running);
    let mut renew = tokio::time::interval(shared.lease() / 3);
    renew.tick().await;
    loop {
        tokio::select! {
            out = &mut running => return out,
            _ = renew.tick() => {
                let shared = shared.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    let mut conn = shared.connection()?;
                    match queue::extend(&mut conn, id, &shared.name, shared.lease()) {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!("the job's lease was taken over"),
                        Err(e) => tracing::warn!(error = %e, "cannot renew the job's lease"),
                    }
                    Some(())
                })
                .await;
            }
        }
    }
}

fn record(shared: &Shared, claimed: &Claimed, outcome: Result<(), JobError>, took: Duration) {
    let kind = claimed.kind.as_str();
    let retry = matches!(outcome, Err(JobError::Transient(_))) && retries_left(shared, claimed);
    let result = match &outcome {
        Ok(()) => "succeeded",
        Err(JobError::Refused(_)) => "refused",
        Err(JobError::Transient(_)) if retry => "retried",
        Err(_) => "failed",
    };
    metrics::counter!("cornac_jobs_finished_total", "kind" => kind, "result" => result)
        .increment(1);
    metrics::histogram!("cornac_job_duration_seconds", "kind" => kind, "result" => result)
        .record(took.as_secs_f64());
    let Some(mut conn) = shared.connection() else {
        return;
    };
    let job = claimed.job();
    let recorded = match outcome {
        Ok(()) => {
            tracing::info!(?job, "job done");
            queue::complete(&mut conn, claimed.id, &shared.name).map_err(|e| e.to_string())
        }
        Err(JobError::Transient(e)) if retry => {
            let delay = backoff(shared, claimed.attempt);
            tracing::warn!(?job, attempt = claimed.attempt, error = %e, ?delay, "job failed; will retry");
            requeue(&mut conn, &shared.name, claimed, &e, delay)
        }
        Err(JobError::Refused(reason)) => {
            tracing::warn!(?job, %reason, "job refused; the instance is left as it is");
            step::refused(
                &mut conn,
                claimed.id,
                &shared.name,
                job.instance_id,
                &reason,
            )
            .map_err(|e| e.to_string())
        }
        Err(e) => {
            tracing::error!(?job, attempt = claimed.attempt, error = %e, "job failed for good");
            let reason = e.to_string();
            conn.transaction::<_, JobError, _>(|conn| {
                if !queue::give_up(conn, claimed.id, &shared.name, &reason)? {
                    return Ok(false);
                }
                step::fail(conn, job, &reason)?;
                Ok(true)
            })
            .map_err(|e| e.to_string())
        }
    };
    match recorded {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(
                ?job,
                "the job was taken over meanwhile; its new holder records how it ends"
            )
        }
        Err(e) => {
            tracing::error!(?job, error = %e, "cannot record the job's outcome; its lease will lapse and it will run again")
        }
    }
}

fn retries_left(shared: &Shared, claimed: &Claimed) -> bool {
    claimed.attempt < i32::try_from(shared.settings.max_attempts).unwrap_or(i32::MAX)
}

/// Queue the job again after `delay`, with an event saying so.
fn requeue(
    conn: &mut PgConnection,
    worker: &str,
    claimed: &Claimed,
    error: &str,
    delay: Duration,
) -> Result<bool, String> {
    conn.transaction::<_, JobError, _>(|conn| {
        if !queue::retry(conn, claimed.id, worker, delay, error)? {
            return Ok(false);
        }
        let message = format!(
            "Attempt {} failed: {error}; retrying in {:.1}s",
            claimed.attempt,
            delay.as_secs_f64()
        );
        step::note(
            conn,
            claimed.instance_id,
            crate::lifecycle::Operation::Retry,
            &message,
        )?;
        Ok(true)
    })
    .map_err(|e| e.to_string())
}

/// Exponential backoff with ±50 % jitter.
fn backoff(shared: &Shared, attempt: i32) -> Duration {
    let exp = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let base = shared
        .settings
        .backoff_base_ms
        .saturating_mul(1 << exp)
        .min(shared.settings.backoff_max_ms);
    let jitter = rand::thread_rng().gen_range(0.5..1.5);
    Duration::from_millis((base as f64 * jitter) as u64)
}
