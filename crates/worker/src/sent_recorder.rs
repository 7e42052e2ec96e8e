//! Recording sent messages in batches: many sends finish at once on a busy
//! queue, and each used to cost its own transaction.

use std::sync::OnceLock;

use guestcare_db::messages::{self, Sent};
use guestcare_jobs::{JobError, registry::PgPool};
use tokio::sync::{mpsc, oneshot};

/// How many sent messages one round records at most.
const BATCH: usize = 64;

/// A sent message waiting to be recorded, and who waits for the answer.
struct Pending {
    sent: Sent,
    done: oneshot::Sender<Result<(), String>>,
}

/// Records sent messages through one task per worker that takes whatever
/// has piled up and records it with [`messages::record_sent_many`]. The
/// task starts with the first send.
#[derive(Debug, Default)]
pub struct SentRecorder {
    queue: OnceLock<mpsc::UnboundedSender<Pending>>,
}

impl SentRecorder {
    /// Records that the provider accepted the message; returns once it is
    /// committed. A database error is transient: the job's next attempt
    /// finds the message still queued and sends it again under the same
    /// Message-ID.
    pub async fn record(&self, pool: &PgPool, sent: Sent) -> Result<(), JobError> {
        let queue = self.queue.get_or_init(|| {
            let (queue, pending) = mpsc::unbounded_channel();
            tokio::spawn(record_batches(pool.clone(), pending));
            queue
        });
        let (done, answer) = oneshot::channel();
        queue
            .send(Pending { sent, done })
            .map_err(|_| JobError::Transient("the sent-message recorder stopped".to_owned()))?;
        answer
            .await
            .map_err(|_| JobError::Transient("the sent-message recorder stopped".to_owned()))?
            .map_err(JobError::Transient)
    }
}

async fn record_batches(pool: PgPool, mut pending: mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = pending.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match pending.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        let _ = tokio::task::spawn_blocking(move || {
            let sent: Vec<Sent> = batch.iter().map(|p| p.sent.clone()).collect();
            let result = pool
                .get()
                .map_err(|e| format!("database pool: {e}"))
                .and_then(|mut conn| {
                    messages::record_sent_many(&mut conn, &sent).map_err(|e| e.to_string())
                })
                .map(drop);
            for waiting in batch {
                let _ = waiting.done.send(result.clone());
            }
        })
        .await;
    }
}
