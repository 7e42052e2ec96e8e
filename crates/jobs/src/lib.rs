//! A durable job queue on Postgres.
//!
//! Jobs are rows in the `jobs` table. A producer enqueues inside its own
//! transaction ([`enqueue`]), so the job commits or rolls back with the data it
//! refers to. Runners claim batches with `FOR UPDATE SKIP LOCKED` under a
//! lease, run the registered handler for each job's kind, and complete or
//! fail it fenced on (lease owner, attempt): a runner that lost its lease
//! cannot overwrite a newer attempt. Failures retry with capped exponential
//! backoff and jitter; permanent failures and exhausted attempts end in
//! `failed` with the error kept. A reaper returns expired leases.
//!
//! This crate knows nothing of e-mail, guests or tenants' business: payloads
//! are JSON, kinds are names, and handlers are supplied by the worker.

pub mod backoff;
pub mod enqueue;
pub mod error;
pub mod listener;
pub mod metrics;
pub mod registry;
pub mod runner;
pub mod schedule;
pub mod store;

pub use enqueue::{NewJob, enqueue};
pub use error::JobError;
pub use metrics::QueueMetrics;
pub use registry::{JobContext, Registry};
pub use runner::{Runner, RunnerConfig};
pub use store::{ClaimedJob, JobStatus, Lease};
