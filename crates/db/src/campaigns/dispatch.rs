//! The dispatch chain: job `campaign_dispatch` (queue `campaigns`) runs one
//! step — freeze the audience if sending is just starting, hand the next
//! batch of due recipients to `messages::send_to_guest`, record each
//! recipient's message, and enqueue the next step — all in the job's
//! fenced transaction. Steps carry the campaign's `dispatch_seq`; a step of
//! an older chain (before a pause and resume) or of a campaign no longer
//! sending does nothing, which is how pause and cancel take effect.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use diesel::{
    prelude::*,
    sql_types::{Array, Text as SqlText, Uuid as SqlUuid},
};
use guestcare_domain::{
    campaigns::{Status, Variants, step_for_rate, tracking},
    signed_token::GuestLinks,
    templates::{Channel, Purpose},
};
use guestcare_jobs::{NewJob, enqueue};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Campaign,
    freeze::freeze_audience,
    images::attach_images,
    lifecycle::emit_finished,
    lock_campaign,
    text::{own_text, tracking_extra},
};
use crate::{
    messages::{
        GuestMessage, Message, SendError, SendOutcome, Text, send_to_guest, send_to_guests,
    },
    schema::{campaign_recipients as r, campaigns, messages},
    timeline::Actor,
    webhooks,
};

/// The job kind of a dispatch step.
pub const DISPATCH: &str = "campaign_dispatch";
/// How often a campaign whose recipients are all dispatched checks whether
/// its last messages left.
const FINISH_POLL_SECS: i64 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DispatchPayload {
    pub tenant_id: Uuid,
    pub campaign_id: Uuid,
    /// The chain (`campaigns.dispatch_seq`) this step belongs to.
    pub seq: i32,
    /// The step's number in its chain (part of its dedupe key).
    pub step: u64,
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The chain is over (paused, cancelled, resumed as a new chain, gone).
    Stale,
    /// Handed `count` recipients to the message path; more follow.
    Dispatched { count: usize },
    /// Every recipient is dispatched; messages are still queued.
    Finishing,
    /// The campaign is sent.
    Finished,
}

/// Enqueues step `step` of the campaign's current chain at `at` (now if
/// `None`), in the caller's transaction.
pub(super) fn enqueue_step(
    conn: &mut PgConnection,
    campaign: &Campaign,
    step: u64,
    at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let payload = DispatchPayload {
        tenant_id: campaign.tenant_id,
        campaign_id: campaign.id,
        seq: campaign.dispatch_seq,
        step,
    };
    let key = format!(
        "campaign:{}:{}:{}",
        campaign.id, campaign.dispatch_seq, step
    );
    let job = NewJob::new("campaigns", DISPATCH, serde_json::json!(payload))
        .with_tenant(campaign.tenant_id)
        .with_dedupe_key(key);
    enqueue(conn, &at.map_or(job.clone(), |at| job.with_run_at(at)))?;
    Ok(())
}

/// Runs one step (see the module's contract). Call it inside the job's
/// fenced transaction (`JobContext::complete_with`).
pub fn dispatch_step(
    conn: &mut PgConnection,
    links: &GuestLinks,
    payload: &DispatchPayload,
) -> QueryResult<Step> {
    let Some(mut campaign) =
        lock_campaign(conn, payload.tenant_id, payload.campaign_id).optional()?
    else {
        return Ok(Step::Stale);
    };
    if campaign.dispatch_seq != payload.seq {
        return Ok(Step::Stale);
    }
    match campaign.status.parse::<Status>() {
        Ok(Status::Scheduled) => campaign = start(conn, campaign)?,
        Ok(Status::Sending) => {}
        _ => return Ok(Step::Stale),
    }
    let rate = u32::try_from(campaign.rate_per_minute).unwrap_or(1);
    let (batch, wait) = step_for_rate(rate);
    let due: Vec<Uuid> = r::table
        .filter(r::tenant_id.eq(campaign.tenant_id))
        .filter(r::campaign_id.eq(campaign.id))
        .filter(r::message_id.is_null())
        .filter(r::error.is_null())
        .filter(r::send_after.le(Utc::now()))
        .order((r::send_after, r::guest_id))
        .limit(i64::from(batch))
        .select(r::guest_id)
        .load(conn)?;
    let count = due.len();
    if count > 0 {
        send_batch(conn, links, &campaign, due)?;
    }
    let next: Option<DateTime<Utc>> = r::table
        .filter(r::tenant_id.eq(campaign.tenant_id))
        .filter(r::campaign_id.eq(campaign.id))
        .filter(r::message_id.is_null())
        .filter(r::error.is_null())
        .select(diesel::dsl::min(r::send_after))
        .first(conn)?;
    let step = payload.step + 1;
    if let Some(at) = next {
        let paced = Utc::now() + Duration::from_std(wait).unwrap_or_default();
        enqueue_step(conn, &campaign, step, Some(at.max(paced)))?;
        return Ok(Step::Dispatched { count });
    }
    if still_queued(conn, &campaign)? {
        let at = Utc::now() + Duration::seconds(FINISH_POLL_SECS);
        enqueue_step(conn, &campaign, step, Some(at))?;
        return Ok(Step::Finishing);
    }
    let sent: Campaign = diesel::update(campaigns::table.find(campaign.id))
        .set((
            campaigns::status.eq(Status::Sent.as_str()),
            campaigns::finished_at.eq(Utc::now()),
            campaigns::updated_at.eq(Utc::now()),
        ))
        .returning(Campaign::as_returning())
        .get_result(conn)?;
    emit_finished(conn, &sent)?;
    Ok(Step::Finished)
}

/// scheduled → sending: freezes the audience and emits `campaign.started`.
fn start(conn: &mut PgConnection, campaign: Campaign) -> QueryResult<Campaign> {
    let size = freeze_audience(conn, &campaign)?;
    let row: Campaign = diesel::update(campaigns::table.find(campaign.id))
        .set((
            campaigns::status.eq(Status::Sending.as_str()),
            campaigns::recipients.eq(i32::try_from(size).unwrap_or(i32::MAX)),
            campaigns::started_at.eq(Utc::now()),
            campaigns::updated_at.eq(Utc::now()),
        ))
        .returning(Campaign::as_returning())
        .get_result(conn)?;
    webhooks::emit_event(
        conn,
        row.tenant_id,
        "campaign.started",
        &serde_json::json!({ "id": row.id, "name": row.name, "recipients": row.recipients }),
    )?;
    Ok(row)
}

/// Sends to the guests through `send_to_guests` (dedupe keys
/// `campaign:{id}:{guest}`) and records each message on its recipient row
/// in one statement. Should the text fail to render for someone, the
/// batch is sent one by one and that recipient records the error.
fn send_batch(
    conn: &mut PgConnection,
    links: &GuestLinks,
    campaign: &Campaign,
    guests: Vec<Uuid>,
) -> QueryResult<()> {
    let own = Arc::new(own_text(campaign).map_err(|e| {
        diesel::result::Error::DeserializationError(format!("campaign text: {e:?}").into())
    })?);
    let variants: Variants = serde_json::from_value(campaign.variants.clone())
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let links_count = tracking::campaign_targets(&variants).len();
    let sends: Vec<GuestMessage> = guests
        .iter()
        .map(|guest_id| GuestMessage {
            guest_id: *guest_id,
            channel: Channel::Email,
            purpose: Purpose::Promotion,
            extra: tracking_extra(links, campaign, *guest_id, links_count),
            occasion: None,
            text: Text::Own(own.clone()),
            dedupe_key: format!("campaign:{}:{guest_id}", campaign.id),
            actor: Actor::SYSTEM,
        })
        .collect();
    let outcomes: Vec<Result<SendOutcome, String>> =
        match send_to_guests(conn, campaign.tenant_id, &sends, links) {
            Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
            Err(SendError::Query(e)) => return Err(e),
            Err(_) => {
                let mut one_by_one = Vec::with_capacity(sends.len());
                for send in &sends {
                    one_by_one.push(match send_to_guest(conn, campaign.tenant_id, send, links) {
                        Ok(outcome) => Ok(outcome),
                        Err(SendError::Query(e)) => return Err(e),
                        Err(e) => Err(e.to_string()),
                    });
                }
                one_by_one
            }
        };
    let fresh: Vec<&Message> = outcomes
        .iter()
        .filter_map(|o| match o {
            Ok(SendOutcome::Queued(m) | SendOutcome::Withheld(m, _)) => Some(m),
            _ => None,
        })
        .collect();
    attach_images(conn, campaign, &variants, &fresh)?;
    let messages: Vec<Option<Uuid>> = outcomes
        .iter()
        .map(|o| o.as_ref().ok().map(|o| o.message().id))
        .collect();
    let errors: Vec<Option<String>> = outcomes.into_iter().map(Result::err).collect();
    diesel::sql_query(
        "UPDATE campaign_recipients r SET message_id = v.m, error = v.e \
         FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS v(g, m, e) \
         WHERE r.tenant_id = $1 AND r.campaign_id = $2 AND r.guest_id = v.g",
    )
    .bind::<SqlUuid, _>(campaign.tenant_id)
    .bind::<SqlUuid, _>(campaign.id)
    .bind::<Array<SqlUuid>, _>(guests)
    .bind::<Array<diesel::sql_types::Nullable<SqlUuid>>, _>(messages)
    .bind::<Array<diesel::sql_types::Nullable<SqlText>>, _>(errors)
    .execute(conn)?;
    Ok(())
}

/// Whether any of the campaign's messages is still waiting to be sent.
fn still_queued(conn: &mut PgConnection, campaign: &Campaign) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        r::table
            .inner_join(messages::table.on(messages::id.nullable().eq(r::message_id)))
            .filter(r::tenant_id.eq(campaign.tenant_id))
            .filter(r::campaign_id.eq(campaign.id))
            .filter(messages::status.eq("queued")),
    ))
    .get_result(conn)
}
