//! `send_survey` and `remind_survey`: invite (or remind) a survey send's
//! recipients in batches of [`BATCH`], each batch one transaction that
//! first extends the job's lease, so a crash loses at most the batch in
//! flight and a retry continues with the recipients not yet handled. The
//! last step (`finish_send`, which schedules the reminders) completes the
//! job in the same fenced transaction.

use std::{sync::Arc, time::Duration};

use diesel::{Connection, PgConnection, QueryResult};
use guestcare_db::surveys::send;
use guestcare_domain::signed_token::GuestLinks;
use guestcare_jobs::{JobContext, JobError, store};
use serde::Deserialize;
use uuid::Uuid;

/// Recipients per transaction.
const BATCH: i64 = 200;

#[derive(Debug, Deserialize)]
struct Payload {
    tenant_id: Uuid,
    send_id: Uuid,
}

type Batch = fn(&mut PgConnection, &GuestLinks, Uuid, Uuid, i64) -> QueryResult<usize>;

/// Invites the send's recipients, then finishes the send.
pub async fn invite(
    links: Arc<GuestLinks>,
    ctx: JobContext,
    lease: Duration,
) -> Result<(), JobError> {
    run(links, ctx, lease, send::invite_batch, true).await
}

/// Reminds the send's recipients who have not answered.
pub async fn remind(
    links: Arc<GuestLinks>,
    ctx: JobContext,
    lease: Duration,
) -> Result<(), JobError> {
    run(links, ctx, lease, send::remind_batch, false).await
}

async fn run(
    links: Arc<GuestLinks>,
    ctx: JobContext,
    lease: Duration,
    batch: Batch,
    finish: bool,
) -> Result<(), JobError> {
    let payload: Payload = ctx.payload()?;
    tokio::task::spawn_blocking(move || {
        let mut conn = ctx.pool.get().map_err(JobError::transient)?;
        let held = ctx.job.lease();
        let mut handled = 0;
        loop {
            let done = conn.transaction(|conn| {
                if !store::heartbeat(conn, &held, lease)? {
                    return Err(JobError::transient("the job's lease was lost"));
                }
                Ok(batch(
                    conn,
                    &links,
                    payload.tenant_id,
                    payload.send_id,
                    BATCH,
                )?)
            })?;
            handled += done;
            if done == 0 {
                break;
            }
        }
        ctx.complete_with(|conn| {
            if finish {
                send::finish_send(conn, payload.tenant_id, payload.send_id)?;
            }
            Ok(())
        })?;
        tracing::info!(
            job.kind = %ctx.job.kind,
            tenant.id = %payload.tenant_id,
            survey_send.id = %payload.send_id,
            recipients = handled,
            "survey send done"
        );
        Ok(())
    })
    .await
    .map_err(JobError::transient)?
}
