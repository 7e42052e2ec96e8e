//! `campaign_dispatch`: one step of a campaign's dispatch chain
//! (`guestcare_db::campaigns::dispatch_step`), run in the job's fenced
//! transaction so that a lost lease or a crash rolls the whole step back.

use std::sync::Arc;

use guestcare_db::campaigns::{self, DispatchPayload};
use guestcare_domain::signed_token::GuestLinks;
use guestcare_jobs::{JobContext, JobError};

pub async fn dispatch(links: Arc<GuestLinks>, context: JobContext) -> Result<(), JobError> {
    let payload: DispatchPayload = context.payload()?;
    let campaign_id = payload.campaign_id;
    let step = tokio::task::spawn_blocking(move || {
        context.complete_with(|conn| campaigns::dispatch_step(conn, &links, &payload))
    })
    .await
    .map_err(JobError::transient)??;
    tracing::info!(campaign.id = %campaign_id, step = ?step, "campaign step done");
    Ok(())
}
