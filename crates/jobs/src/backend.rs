//! The apalis backend over the inventory's `jobs` table. The API enqueues with a plain insert
//! in its own transaction (`queue::enqueue`); this backend only takes jobs out: it claims one
//! (`FOR UPDATE SKIP LOCKED`, with a lease) whenever the worker has a free slot, and when none
//! is runnable it sleeps until `NOTIFY cornac_jobs` or the slow poll (`worker.poll_secs`)
//! wakes it. On shutdown it gives back a job it claimed but never handed to the worker. Its
//! middleware (`ack.rs`) renews the lease while a job runs and records how the job ended.

use crate::ack::AckLayer;
use crate::queue::{self, Claimed};
use crate::worker::Shared;
use apalis_core::backend::finalize::Ephemeral;
use apalis_core::backend::{Backend, BackendConfig};
use apalis_core::task::builder::TaskBuilder;
use apalis_core::task::Task;
use apalis_core::worker::context::WorkerContext;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::task::JoinHandle;

/// What the backend is doing between two polls.
enum Step {
    /// Nothing yet: the next poll claims.
    Idle,
    /// A claim is in flight on a blocking thread; it must be seen to its end (a claim made
    /// is a lease taken), even on shutdown.
    Claiming(JoinHandle<Option<Claimed>>),
    /// Nothing was runnable: wait for a notification or the poll interval.
    Waiting(Pin<Box<dyn Future<Output = ()> + Send>>),
    /// Shutting down, giving back a claimed job.
    Releasing(JoinHandle<()>),
}

pub struct JobsTable {
    shared: Arc<Shared>,
    step: Step,
}

impl JobsTable {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            step: Step::Idle,
        }
    }

    fn claim(&self) -> JoinHandle<Option<Claimed>> {
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = shared.connection()?;
            queue::claim(&mut conn, &shared.name, shared.lease())
                .map_err(|e| tracing::warn!(error = %e, "cannot claim a job"))
                .ok()
                .flatten()
        })
    }

    fn wait(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let wake = self.shared.wake.clone();
        let poll = Duration::from_secs(self.shared.settings.poll_secs);
        Box::pin(async move {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        })
    }

    fn release(&self, claimed: Claimed) -> JoinHandle<()> {
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let Some(mut conn) = shared.connection() else {
                return;
            };
            match queue::release(&mut conn, claimed.id, &shared.name) {
                Ok(()) => tracing::info!(job_id = claimed.id, "stopping: job given back"),
                Err(e) => {
                    tracing::warn!(job_id = claimed.id, error = %e, "cannot give a job back; its lease will lapse")
                }
            }
        })
    }
}

/// A claim's result; a failed blocking thread claimed nothing it could report.
fn claimed(joined: Result<Option<Claimed>, tokio::task::JoinError>) -> Option<Claimed> {
    joined
        .map_err(|e| tracing::warn!(error = %e, "the claim's thread failed"))
        .ok()
        .flatten()
}

impl Backend for JobsTable {
    type Task = Task<Claimed>;
    /// The backend never fails: an unreachable inventory is logged and polled again.
    type Error = std::convert::Infallible;

    fn poll_ready(
        &mut self,
        _: &mut Context<'_>,
        _: &WorkerContext,
    ) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
        _: &WorkerContext,
    ) -> Poll<Option<Result<Self::Task, Self::Error>>> {
        loop {
            match &mut self.step {
                Step::Idle => self.step = Step::Claiming(self.claim()),
                Step::Claiming(handle) => {
                    let joined = std::task::ready!(Pin::new(handle).poll(cx));
                    match claimed(joined) {
                        Some(job) => {
                            self.step = Step::Idle;
                            return Poll::Ready(Some(Ok(TaskBuilder::new(job).build())));
                        }
                        None => self.step = Step::Waiting(self.wait()),
                    }
                }
                Step::Waiting(wait) => {
                    std::task::ready!(wait.as_mut().poll(cx));
                    self.step = Step::Idle;
                }
                // Only reached on shutdown, which polls `poll_close` instead.
                Step::Releasing(_) => return Poll::Pending,
            }
        }
    }

    fn poll_close(
        &mut self,
        cx: &mut Context<'_>,
        _: &WorkerContext,
    ) -> Poll<Result<(), Self::Error>> {
        loop {
            match &mut self.step {
                Step::Idle | Step::Waiting(_) => {
                    self.step = Step::Idle;
                    return Poll::Ready(Ok(()));
                }
                Step::Claiming(handle) => {
                    let joined = std::task::ready!(Pin::new(handle).poll(cx));
                    self.step = match claimed(joined) {
                        Some(job) => Step::Releasing(self.release(job)),
                        None => Step::Idle,
                    };
                }
                Step::Releasing(handle) => {
                    let _ = std::task::ready!(Pin::new(handle).poll(cx));
                    self.step = Step::Idle;
                }
            }
        }
    }
}

impl BackendConfig for JobsTable {
    type Args = Claimed;
    type Id = i64;
    type Kind = Ephemeral;
    type Config = ();
    type Layer = AckLayer;

    fn config(&self) -> &Self::Config {
        &()
    }

    fn middleware(&mut self, _: &mut WorkerContext) -> Self::Layer {
        AckLayer::new(self.shared.clone())
    }
}
