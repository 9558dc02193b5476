//! The worker side of Cornac: what a job is (an instance id and what to do to it), the queue
//! that carries jobs from the API to the workers, and the worker that runs them, on apalis.

mod ack;
mod alone;
pub mod automated;
mod automated_snapshot;
mod backend;
mod delete_snapshot;
pub mod fault;
mod handlers;
pub mod job;
pub mod lifecycle;
mod listen;
mod pin;
pub mod queue;
pub mod reconcile;
mod step;
pub mod window;
pub mod worker;

pub use job::{Job, JobKind};
pub use worker::{Worker, WorkerSettings};
