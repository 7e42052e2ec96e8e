//! `deliver_webhook`: posts one signed event to one endpoint, records the
//! attempt in the delivery log, and disables an endpoint that has failed
//! for longer than `worker.webhook_disable_after_hours`. A ping is tried
//! once: its result is what the person testing the endpoint wants to see.

use std::{sync::Arc, time::Instant};

use chrono::Utc;
use diesel::Connection;
use guestcare_db::webhooks::{self, Delivery, DeliveryResult, Endpoint};
use guestcare_domain::channels::{events::PING, signature::WebhookSecret};
use guestcare_jobs::{JobContext, JobError};
use uuid::Uuid;

use super::{last_attempt, notify, with_conn};
use crate::{channels::Channels, guarded_http::is_refused};

#[derive(Debug, serde::Deserialize)]
struct Payload {
    delivery_id: Uuid,
    tenant_id: Uuid,
}

/// One attempt's result before it is recorded.
struct Attempt {
    status_code: Option<i32>,
    duration_ms: i32,
    error: Option<String>,
}

pub async fn run(channels: Arc<Channels>, ctx: JobContext) -> Result<(), JobError> {
    let Payload {
        delivery_id,
        tenant_id,
    } = ctx.payload()?;
    let (delivery, endpoint) = with_conn(&ctx, move |conn| {
        let delivery = webhooks::get_delivery(conn, tenant_id, delivery_id)?;
        let endpoint = webhooks::get_endpoint(conn, tenant_id, delivery.endpoint_id)?;
        Ok((delivery, endpoint))
    })
    .await?;
    if delivery.status != "pending" {
        return Ok(());
    }
    if endpoint.status != "active" && delivery.event_type != PING {
        let result = Attempt {
            status_code: None,
            duration_ms: 0,
            error: Some("endpoint disabled".to_owned()),
        };
        return finish(&ctx, &channels, delivery, endpoint, result, false).await;
    }
    let secret = channels
        .webhook_sealer
        .open_string(
            &endpoint.secret_sealed,
            &webhooks::secret_context(tenant_id, endpoint.id),
        )
        .ok()
        .and_then(|text| WebhookSecret::parse(&text).ok())
        .ok_or_else(|| JobError::Permanent("the endpoint's secret cannot be opened".to_owned()))?;
    let attempt = post(&channels, &delivery, &endpoint, &secret).await;
    let succeeded = attempt.error.is_none();
    finish(&ctx, &channels, delivery, endpoint, attempt, succeeded).await
}

/// Sends the signed POST.
async fn post(
    channels: &Channels,
    delivery: &Delivery,
    endpoint: &Endpoint,
    secret: &WebhookSecret,
) -> Attempt {
    let (client, url) = match channels.http.check(&endpoint.url) {
        Ok(checked) => checked,
        Err(refused) => {
            return Attempt {
                status_code: None,
                duration_ms: 0,
                error: Some(refused.to_string()),
            };
        }
    };
    let body = delivery.payload.to_string().into_bytes();
    let id = delivery.id.to_string();
    let timestamp = Utc::now().timestamp();
    let started = Instant::now();
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", secret.sign(&id, timestamp, &body))
        .body(body)
        .send()
        .await;
    let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    match sent {
        Ok(response) if response.status().is_success() => Attempt {
            status_code: Some(i32::from(response.status().as_u16())),
            duration_ms,
            error: None,
        },
        Ok(response) => Attempt {
            status_code: Some(i32::from(response.status().as_u16())),
            duration_ms,
            error: Some(format!("answered {}", response.status())),
        },
        Err(error) => Attempt {
            status_code: None,
            duration_ms,
            error: Some(if is_refused(&error) {
                "refused: the host resolves to no public address".to_owned()
            } else if error.is_timeout() {
                "timed out".to_owned()
            } else {
                "could not connect".to_owned()
            }),
        },
    }
}

/// Records the attempt and the endpoint's health in one transaction;
/// disables the endpoint (and tells the owners) when it has failed too long.
async fn finish(
    ctx: &JobContext,
    channels: &Channels,
    delivery: Delivery,
    endpoint: Endpoint,
    attempt: Attempt,
    succeeded: bool,
) -> Result<(), JobError> {
    let window_hours = channels.settings.worker.webhook_disable_after_hours;
    let window = chrono::Duration::milliseconds((window_hours * 3_600_000.0) as i64);
    let ping = delivery.event_type == PING;
    let last = last_attempt(ctx) || ping;
    let counts = endpoint.status == "active" || ping;
    let error = attempt.error.clone();
    let given_up = with_conn(ctx, move |conn| {
        conn.transaction(|conn| {
            let tenant_id = delivery.tenant_id;
            let mut disabled = false;
            if counts {
                let failing_since =
                    webhooks::record_endpoint_health(conn, tenant_id, endpoint.id, succeeded)?;
                if let Some(since) = failing_since
                    && Utc::now() - since > window
                {
                    let reason = format!("failing since {}", since.to_rfc3339());
                    disabled = webhooks::disable_endpoint(conn, tenant_id, endpoint.id, &reason)?;
                    if disabled {
                        let last_error = attempt.error.as_deref().unwrap_or_default();
                        notify::endpoint_disabled(conn, &endpoint, window_hours, last_error)?;
                    }
                }
            }
            let status = match (succeeded, disabled || last || !counts) {
                (true, _) => "succeeded",
                (false, true) => "failed",
                (false, false) => "pending",
            };
            webhooks::record_delivery(
                conn,
                tenant_id,
                delivery.id,
                &DeliveryResult {
                    status_code: attempt.status_code,
                    duration_ms: attempt.duration_ms,
                    error: attempt.error.as_deref(),
                    status,
                },
            )?;
            diesel::QueryResult::Ok(!succeeded && (disabled || last || !counts))
        })
        .map_err(JobError::from)
    })
    .await?;
    match error {
        None => Ok(()),
        Some(error) if given_up => Err(JobError::Permanent(error)),
        Some(error) => Err(JobError::Transient(error)),
    }
}
