//! `send_sms`: sends one queued SMS within the recipient's allowed hours and
//! records the outcome.

use std::sync::Arc;

use chrono::Utc;
use guestcare_db::{
    messages::{self, Outcome, Sent},
    suppressions, tenants,
};
use guestcare_domain::channels::{
    Channel, MessageStatus, is_e164,
    quiet_hours::{AllowedHours, next_allowed},
};
use guestcare_jobs::{JobContext, JobError};

use super::{MessagePayload, last_attempt, record, with_conn};
use crate::{
    channels::Channels,
    sms::{OutgoingSms, SmsError},
};

pub async fn run(channels: Arc<Channels>, ctx: JobContext) -> Result<(), JobError> {
    let MessagePayload {
        message_id,
        tenant_id,
    } = ctx.payload()?;
    let settings = channels.clone();
    let (message, own, tenant, suppressed) = with_conn(&ctx, move |conn| {
        let message = messages::get_message(conn, tenant_id, message_id)?;
        let own = settings.tenant_settings.get(conn, tenant_id)?;
        let tenant = tenants::get_tenant(conn, tenant_id)?;
        let suppressed =
            suppressions::find_suppression(conn, tenant_id, Channel::Sms, &message.recipient)?;
        Ok((message, own, tenant, suppressed))
    })
    .await?;
    if message.status != MessageStatus::Queued.as_str() {
        return Ok(());
    }
    if let Some(reason) = suppressed {
        record(&ctx, &message, Outcome::Suppressed { reason }).await?;
        return Ok(());
    }
    if !is_e164(&message.recipient) {
        let error = "invalid phone number".to_owned();
        record(
            &ctx,
            &message,
            Outcome::Failed {
                error: error.clone(),
            },
        )
        .await?;
        return Err(JobError::Permanent(error));
    }
    let tz = message
        .time_zone
        .as_deref()
        .unwrap_or(&tenant.time_zone)
        .parse::<chrono_tz::Tz>()
        .unwrap_or(chrono_tz::Asia::Ho_Chi_Minh);
    let window = own
        .as_ref()
        .map_or_else(AllowedHours::default, |s| AllowedHours {
            start: s.quiet_start,
            end: s.quiet_end,
        });
    let now = Utc::now();
    let allowed = next_allowed(now, tz, window);
    if allowed > now {
        let deferred = message.clone();
        with_conn(&ctx, move |conn| {
            Ok(messages::defer_message(conn, &deferred, allowed)?)
        })
        .await?;
        tracing::info!(message.id = %message.id, until = %allowed, "SMS waits for allowed hours");
        return Ok(());
    }
    let provider = match channels.sms_provider(tenant_id, own.as_deref()) {
        Ok(provider) => provider,
        Err(error) => {
            record(
                &ctx,
                &message,
                Outcome::Failed {
                    error: error.to_string(),
                },
            )
            .await?;
            return Err(JobError::Permanent(error.to_string()));
        }
    };
    let sms = OutgoingSms {
        to: message.recipient.clone(),
        text: message.body_text.clone(),
        reference: message.id.to_string(),
    };
    match provider.send(&sms).await {
        Ok(receipt) => {
            let sent = Sent {
                tenant_id,
                message_id: message.id,
                provider_id: receipt.provider_id,
            };
            channels.sent.record(&ctx.pool, sent).await?;
            tracing::info!(message.id = %message.id, tenant.id = %tenant_id, "SMS sent");
            Ok(())
        }
        Err(SmsError::Transient(error)) if !last_attempt(&ctx) => {
            record(
                &ctx,
                &message,
                Outcome::Retrying {
                    error: error.clone(),
                },
            )
            .await?;
            Err(JobError::Transient(error))
        }
        Err(SmsError::Transient(error) | SmsError::Permanent(error)) => {
            record(
                &ctx,
                &message,
                Outcome::Failed {
                    error: error.clone(),
                },
            )
            .await?;
            Err(JobError::Permanent(error))
        }
    }
}
