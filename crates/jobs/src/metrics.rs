//! Prometheus metrics of the queue: depth by queue and status, pickup and
//! run latency, outcomes.
//!
//! Runners record latency and outcomes as they go; the depth gauges are set
//! from [`crate::store::depth`] by whoever samples the table (the worker's
//! metrics task), since any process may have enqueued the jobs.

use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DepthLabels {
    queue: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    queue: String,
    kind: String,
    /// `succeeded`, `retrying`, `failed` or `lease_lost`.
    outcome: &'static str,
}

/// How an attempt ended, as counted in `guestcare_jobs_finished_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Retrying,
    Failed,
    LeaseLost,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Retrying => "retrying",
            Outcome::Failed => "failed",
            Outcome::LeaseLost => "lease_lost",
        }
    }
}

/// The queue's metrics; share one per process.
#[derive(Debug)]
pub struct QueueMetrics {
    registry: Registry,
    depth: Family<DepthLabels, Gauge>,
    pickup: Family<QueueLabels, Histogram>,
    run: Family<QueueLabels, Histogram>,
    finished: Family<OutcomeLabels, Counter>,
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
        300.0,
    ])
}

impl QueueMetrics {
    pub fn new() -> QueueMetrics {
        let mut registry = Registry::with_prefix("guestcare_jobs");
        let depth = Family::<DepthLabels, Gauge>::default();
        let pickup = Family::<QueueLabels, Histogram>::new_with_constructor(latency_histogram);
        let run = Family::<QueueLabels, Histogram>::new_with_constructor(latency_histogram);
        let finished = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "depth",
            "Jobs in the table by queue and status (pending, running, failed)",
            depth.clone(),
        );
        registry.register(
            "pickup_seconds",
            "From when a job was due (enqueued or run_at) to when a runner claimed it",
            pickup.clone(),
        );
        registry.register(
            "run_seconds",
            "From claim to recorded outcome of one attempt",
            run.clone(),
        );
        registry.register(
            "finished",
            "Attempts finished, by queue, kind and outcome",
            finished.clone(),
        );
        QueueMetrics {
            registry,
            depth,
            pickup,
            run,
            finished,
        }
    }

    pub fn observe_pickup(&self, queue: &str, seconds: f64) {
        self.pickup
            .get_or_create(&QueueLabels {
                queue: queue.to_owned(),
            })
            .observe(seconds.max(0.0));
    }

    pub fn observe_finished(&self, queue: &str, kind: &str, outcome: Outcome, run_seconds: f64) {
        self.run
            .get_or_create(&QueueLabels {
                queue: queue.to_owned(),
            })
            .observe(run_seconds);
        self.finished
            .get_or_create(&OutcomeLabels {
                queue: queue.to_owned(),
                kind: kind.to_owned(),
                outcome: outcome.label(),
            })
            .inc();
    }

    /// Replaces the depth gauges with a fresh sample; statuses missing from
    /// the sample read 0.
    pub fn set_depth(&self, sample: &[crate::store::Depth]) {
        self.depth.clear();
        for row in sample {
            self.depth
                .get_or_create(&DepthLabels {
                    queue: row.queue.clone(),
                    status: row.status.clone(),
                })
                .set(row.jobs);
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

impl Default for QueueMetrics {
    fn default() -> Self {
        QueueMetrics::new()
    }
}
