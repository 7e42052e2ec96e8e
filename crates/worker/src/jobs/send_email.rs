//! `send_email` (one message) and `send_email_batch` (a chunk of a
//! campaign): both send the still-queued e-mails they name and record what
//! became of each.

use std::{collections::HashMap, sync::Arc};

use futures::{StreamExt, stream};
use guestcare_db::{
    messages::{self, BatchPayload, Message, MessagePart, Outcome, Sent},
    suppressions,
};
use guestcare_domain::{
    channels::{Category, Channel, SuppressionReason},
    signed_token::GuestLinks,
};
use guestcare_jobs::{JobContext, JobError, registry::PgPool};
use uuid::Uuid;

use super::{MessagePayload, last_attempt, record_many, with_conn};
use crate::{
    channels::Channels,
    email::{OutgoingEmail, Route, SendError},
};

/// SMTP replies that mean the mailbox does not exist or never accepts mail:
/// the address is suppressed as a hard bounce.
const HARD_BOUNCE_CODES: [u16; 3] = [550, 551, 553];

/// Sends a batch waits for at most this many at once; the SMTP pool's size
/// bounds the connections they share.
const IN_FLIGHT: usize = 16;

pub async fn run(channels: Arc<Channels>, ctx: JobContext) -> Result<(), JobError> {
    let MessagePayload {
        message_id,
        tenant_id,
    } = ctx.payload()?;
    send(&channels, &ctx, tenant_id, vec![message_id]).await
}

pub async fn run_batch(channels: Arc<Channels>, ctx: JobContext) -> Result<(), JobError> {
    let BatchPayload {
        tenant_id,
        message_ids,
    } = ctx.payload()?;
    send(&channels, &ctx, tenant_id, message_ids).await
}

/// What became of one message's send.
enum Delivery {
    Sent,
    /// Worth another attempt (SMTP 4xx, connection trouble).
    Transient(Message, String),
    /// Never deliverable; with the SMTP code when the server said so.
    Permanent(Message, Option<u16>, String),
}

/// Sends the still-queued ones among `ids`: suppressed addresses are
/// recorded as such, each sent message is recorded as soon as the server
/// accepted it, permanent failures are recorded as failed (a hard bounce
/// suppresses the address). Temporary failures make the job retry them
/// with backoff (recorded as retrying) until its last attempt, which
/// records them as failed.
async fn send(
    channels: &Arc<Channels>,
    ctx: &JobContext,
    tenant_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<(), JobError> {
    let cache = channels.clone();
    let (outbound, own, suppressed) = with_conn(ctx, move |conn| {
        let outbound = messages::load_outbound(conn, tenant_id, &ids)?;
        let own = cache.tenant_settings.get(conn, tenant_id)?;
        let recipients: Vec<&str> = outbound
            .messages
            .iter()
            .map(|m| m.recipient.as_str())
            .collect();
        let suppressed: HashMap<Uuid, SuppressionReason> =
            suppressions::find_suppressions(conn, tenant_id, Channel::Email, &recipients)?
                .into_iter()
                .flat_map(|(address, reason)| {
                    outbound
                        .messages
                        .iter()
                        .filter(move |m| m.recipient == address)
                        .map(move |m| (m.id, reason))
                })
                .collect();
        Ok((outbound, own, suppressed))
    })
    .await?;
    if outbound.messages.is_empty() {
        return Ok(());
    }
    if !suppressed.is_empty() {
        let outcomes = suppressed
            .iter()
            .map(|(&id, &reason)| (id, Outcome::Suppressed { reason }))
            .collect();
        record_many(ctx, tenant_id, outcomes).await?;
        tracing::info!(tenant.id = %tenant_id, count = suppressed.len(), "e-mails suppressed");
    }
    let route = channels
        .mailer
        .route(tenant_id, own.as_deref())
        .map_err(|e| JobError::Transient(e.to_string()))?;
    let route = Arc::new(route);
    let sends: Vec<_> = outbound
        .messages
        .iter()
        .filter(|m| !suppressed.contains_key(&m.id))
        .map(|message| {
            let email = compose(message, outbound.parts_of(message), &route, &channels.links)
                .loop_identity(&channels.mailer.loop_identity());
            deliver(
                channels.clone(),
                ctx.pool.clone(),
                route.clone(),
                message.clone(),
                email,
            )
        })
        .collect();
    let deliveries: Vec<Delivery> = stream::iter(sends)
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    settle(ctx, tenant_id, deliveries).await
}

/// Builds, signs and sends one message; records it sent when the server
/// accepted it.
async fn deliver(
    channels: Arc<Channels>,
    pool: PgPool,
    route: Arc<Route>,
    message: Message,
    email: OutgoingEmail,
) -> Delivery {
    let mut built = match email.build() {
        Ok(built) => built,
        Err(error) => return Delivery::Permanent(message, None, error.to_string()),
    };
    channels.mailer.sign(&mut built);
    match route.transport.send(&built, &message.id.to_string()).await {
        Ok(provider_id) => {
            let sent = Sent {
                tenant_id: message.tenant_id,
                message_id: message.id,
                provider_id: Some(provider_id),
            };
            match channels.sent.record(&pool, sent).await {
                Ok(()) => Delivery::Sent,
                Err(error) => Delivery::Transient(message, error.to_string()),
            }
        }
        Err(SendError::Transient(text)) => Delivery::Transient(message, text),
        Err(SendError::Permanent { code, text }) => Delivery::Permanent(message, code, text),
    }
}

/// Records the failures of a batch in one transaction and decides the
/// job's fate: done, or retried for its temporary failures.
async fn settle(
    ctx: &JobContext,
    tenant_id: Uuid,
    deliveries: Vec<Delivery>,
) -> Result<(), JobError> {
    let last = last_attempt(ctx);
    let mut outcomes = Vec::new();
    let mut bounced = Vec::new();
    let (mut sent, mut retrying) = (0usize, 0usize);
    for delivery in deliveries {
        match delivery {
            Delivery::Sent => sent += 1,
            Delivery::Transient(message, error) if !last => {
                retrying += 1;
                outcomes.push((message.id, Outcome::Retrying { error }));
            }
            Delivery::Transient(message, error) => {
                outcomes.push((message.id, Outcome::Failed { error }));
            }
            Delivery::Permanent(message, code, error) => {
                if code.is_some_and(|c| HARD_BOUNCE_CODES.contains(&c)) {
                    bounced.push(message.recipient.clone());
                }
                outcomes.push((message.id, Outcome::Failed { error }));
            }
        }
    }
    let failed = outcomes.len() - retrying;
    tracing::info!(tenant.id = %tenant_id, sent, retrying, failed, "e-mails sent");
    if !outcomes.is_empty() {
        record_many(ctx, tenant_id, outcomes).await?;
    }
    if !bounced.is_empty() {
        with_conn(ctx, move |conn| {
            for address in &bounced {
                suppressions::insert_suppression(
                    conn,
                    tenant_id,
                    Channel::Email,
                    address,
                    SuppressionReason::HardBounce,
                )?;
            }
            Ok(())
        })
        .await?;
    }
    if retrying > 0 {
        return Err(JobError::Transient(format!(
            "{retrying} e-mails met a temporary SMTP failure"
        )));
    }
    Ok(())
}

/// The e-mail for a stored message and its parts. A marketing e-mail to a
/// guest always carries an unsubscribe link: the one stored with it, else
/// the short link of the message itself.
fn compose(
    message: &Message,
    parts: &[MessagePart],
    route: &Route,
    links: &GuestLinks,
) -> OutgoingEmail {
    let from = sender(&route.from, message.from_name.as_deref());
    let mut email = OutgoingEmail::new(
        message.id,
        &route.id_domain,
        &from,
        &message.recipient,
        message.subject.as_deref().unwrap_or_default(),
        &message.body_text,
    );
    if let Some(html) = &message.body_html {
        email = email.html(html);
    }
    if let Some(id) = &message.in_reply_to {
        email = email.in_reply_to(id);
    }
    for part in parts {
        let data = part.data.clone();
        email = match &part.content_id {
            Some(cid) => email.inline_image(cid, &part.filename, &part.content_type, data),
            None => email.attachment(&part.filename, &part.content_type, data),
        };
    }
    match Category::parse(&message.category) {
        Some(Category::Marketing) => match (&message.unsubscribe_url, message.guest_id) {
            (Some(url), _) => email.marketing(url),
            (None, Some(_)) => email.marketing(&links.message_unsubscribe_url(message.id)),
            (None, None) => email,
        },
        Some(Category::AutoReply) => email.auto_reply(),
        _ => email,
    }
}

/// The route's sender, under the message's own display name if it has one
/// (a campaign's sender identity); the address stays the tenant's.
fn sender(from: &str, name: Option<&str>) -> String {
    match (name, from.parse::<lettre::message::Mailbox>()) {
        (Some(name), Ok(mut mailbox)) => {
            mailbox.name = Some(name.to_owned());
            mailbox.to_string()
        }
        _ => from.to_owned(),
    }
}
