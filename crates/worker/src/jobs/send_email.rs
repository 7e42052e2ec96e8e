//! `send_email`: sends one queued e-mail message and records the outcome.

use std::sync::Arc;

use guestcare_db::{
    messages::{self, Message, MessagePart, Outcome, Sent},
    suppressions,
};
use guestcare_domain::channels::{Category, Channel, MessageStatus, SuppressionReason};
use guestcare_jobs::{JobContext, JobError};

use super::{MessagePayload, last_attempt, record, with_conn};
use crate::{
    channels::Channels,
    email::{OutgoingEmail, SendError},
};

/// SMTP replies that mean the mailbox does not exist or never accepts mail:
/// the address is suppressed as a hard bounce.
const HARD_BOUNCE_CODES: [u16; 3] = [550, 551, 553];

pub async fn run(channels: Arc<Channels>, ctx: JobContext) -> Result<(), JobError> {
    let MessagePayload {
        message_id,
        tenant_id,
    } = ctx.payload()?;
    let settings = channels.clone();
    let (message, parts, own, suppressed) = with_conn(&ctx, move |conn| {
        let (message, parts) = messages::get_message_with_parts(conn, tenant_id, message_id)?;
        let own = settings.tenant_settings.get(conn, tenant_id)?;
        let suppressed =
            suppressions::find_suppression(conn, tenant_id, Channel::Email, &message.recipient)?;
        Ok((message, parts, own, suppressed))
    })
    .await?;
    if message.status != MessageStatus::Queued.as_str() {
        return Ok(());
    }
    if let Some(reason) = suppressed {
        record(&ctx, &message, Outcome::Suppressed { reason }).await?;
        tracing::info!(message.id = %message.id, reason = reason.as_str(), "e-mail suppressed");
        return Ok(());
    }
    let route = channels
        .mailer
        .route(tenant_id, own.as_deref())
        .map_err(|e| JobError::Transient(e.to_string()))?;
    let email = compose(&message, parts, &route.from, &route.id_domain)
        .loop_identity(&channels.mailer.loop_identity());
    let mut built = match email.build() {
        Ok(built) => built,
        Err(error) => {
            let text = error.to_string();
            record(
                &ctx,
                &message,
                Outcome::Failed {
                    error: text.clone(),
                },
            )
            .await?;
            return Err(JobError::Permanent(text));
        }
    };
    channels.mailer.sign(&mut built);
    match route.transport.send(&built, &message.id.to_string()).await {
        Ok(provider_id) => {
            let sent = Sent {
                tenant_id,
                message_id: message.id,
                provider_id: Some(provider_id),
            };
            channels.sent.record(&ctx.pool, sent).await?;
            tracing::info!(message.id = %message.id, tenant.id = %tenant_id, "e-mail sent");
            Ok(())
        }
        Err(SendError::Transient(text)) if !last_attempt(&ctx) => {
            record(&ctx, &message, Outcome::Retrying { error: text }).await?;
            Err(JobError::Transient("SMTP temporary failure".to_owned()))
        }
        Err(SendError::Transient(text)) => {
            record(&ctx, &message, Outcome::Failed { error: text }).await?;
            Err(JobError::Permanent(
                "SMTP temporary failures; out of attempts".to_owned(),
            ))
        }
        Err(SendError::Permanent { code, text }) => {
            record(&ctx, &message, Outcome::Failed { error: text }).await?;
            if code.is_some_and(|c| HARD_BOUNCE_CODES.contains(&c)) {
                let recipient = message.recipient.clone();
                with_conn(&ctx, move |conn| {
                    Ok(suppressions::insert_suppression(
                        conn,
                        tenant_id,
                        Channel::Email,
                        &recipient,
                        SuppressionReason::HardBounce,
                    )?)
                })
                .await?;
            }
            Err(JobError::Permanent(format!(
                "SMTP permanent failure {}",
                code.map_or_else(|| "(no code)".to_owned(), |c| c.to_string())
            )))
        }
    }
}

/// The e-mail for a stored message and its parts.
fn compose(
    message: &Message,
    parts: Vec<MessagePart>,
    from: &str,
    id_domain: &str,
) -> OutgoingEmail {
    let from = sender(from, message.from_name.as_deref());
    let mut email = OutgoingEmail::new(
        message.id,
        id_domain,
        &from,
        &message.recipient,
        message.subject.as_deref().unwrap_or_default(),
        &message.body_text,
    );
    if let Some(html) = &message.body_html {
        email = email.html(html);
    }
    for part in parts {
        email = match &part.content_id {
            Some(cid) => email.inline_image(cid, &part.filename, &part.content_type, part.data),
            None => email.attachment(&part.filename, &part.content_type, part.data),
        };
    }
    match Category::parse(&message.category) {
        Some(Category::Marketing) => match &message.unsubscribe_url {
            Some(url) => email.marketing(url),
            None => email,
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
