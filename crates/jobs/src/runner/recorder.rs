//! The runner's recorder: one task per runner that writes the outcomes of
//! finished attempts, taking whatever has piled up in one round.

use tokio::sync::{mpsc, oneshot};

use crate::{
    JobError,
    metrics::Outcome,
    registry::PgPool,
    store::{self, FailOutcome},
};

/// A finished attempt waiting to be recorded, and who waits for the answer.
pub(super) struct Recording {
    pub lease: crate::Lease,
    pub result: Result<(), JobError>,
    pub done: oneshot::Sender<Result<Outcome, String>>,
}

/// How many finished attempts one recording round takes at most.
const RECORD_BATCH: usize = 64;

/// Records outcomes as attempts finish: whatever has piled up is taken in
/// one round, successes completed in one fenced statement
/// ([`store::complete_many`]), failures one by one. Ends when every sender
/// is gone.
pub(super) async fn record_outcomes(pool: PgPool, mut pending: mpsc::UnboundedReceiver<Recording>) {
    while let Some(first) = pending.recv().await {
        let mut batch = vec![first];
        while batch.len() < RECORD_BATCH {
            match pending.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        let _ = tokio::task::spawn_blocking(move || record_batch(&pool, batch)).await;
    }
}

/// One recording round on one connection; every waiter gets its answer.
fn record_batch(pool: &PgPool, batch: Vec<Recording>) {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(error) => {
            for recording in batch {
                let _ = recording.done.send(Err(error.to_string()));
            }
            return;
        }
    };
    let (succeeded, failed): (Vec<_>, Vec<_>) = batch.into_iter().partition(|r| r.result.is_ok());
    let leases: Vec<_> = succeeded.iter().map(|r| r.lease.clone()).collect();
    let completed = if leases.is_empty() {
        Ok(Vec::new())
    } else {
        store::complete_many(&mut conn, &leases)
    };
    match completed {
        Ok(completed) => {
            for recording in succeeded {
                let outcome = if completed.contains(&recording.lease.job_id) {
                    Outcome::Succeeded
                } else {
                    Outcome::LeaseLost
                };
                let _ = recording.done.send(Ok(outcome));
            }
        }
        Err(error) => {
            for recording in succeeded {
                let _ = recording.done.send(Err(error.to_string()));
            }
        }
    }
    for recording in failed {
        let Err(error) = &recording.result else {
            continue;
        };
        let outcome = match store::fail(&mut conn, &recording.lease, error) {
            Ok(FailOutcome::Retrying) => Ok(Outcome::Retrying),
            Ok(FailOutcome::Failed) => Ok(Outcome::Failed),
            Ok(FailOutcome::LeaseLost) => Ok(Outcome::LeaseLost),
            Err(e) => Err(e.to_string()),
        };
        let _ = recording.done.send(outcome);
    }
}
