//! The JSON shapes of webhook endpoints and deliveries, and the validation
//! of what tenants register.

use chrono::{DateTime, Utc};
use guestcare_db::webhooks::{Delivery, Endpoint, EndpointFields};
use guestcare_domain::{
    FieldError, ValidationErrors,
    channels::{events, net_guard},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointView {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
    /// `active` or `disabled`.
    pub status: String,
    /// Why it was disabled (e.g. failing for too long); `null` when active.
    pub disabled_reason: Option<String>,
    /// When the current run of failed deliveries began; `null` if the last
    /// delivery succeeded.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Endpoint> for EndpointView {
    fn from(e: Endpoint) -> Self {
        EndpointView {
            event_types: e.events(),
            id: e.id,
            url: e.url,
            description: e.description,
            status: e.status,
            disabled_reason: e.disabled_reason,
            failing_since: e.failing_since,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An endpoint with its signing secret: answered once, at creation and at
/// rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: EndpointView,
    /// `whsec_…`: verify deliveries with it (Standard Webhooks). Shown once.
    pub secret: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpointRequest {
    /// An `https://` (or `http://`) URL that receives POSTs.
    pub url: String,
    #[serde(default)]
    pub description: Option<String>,
    /// One or more of `/v1/webhooks/event-types`.
    pub event_types: Vec<String>,
}

/// Fields to change; absent fields stay. Setting `status` to `active`
/// re-enables a disabled endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointUpdate {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<Vec<String>>,
    /// `active` or `disabled`.
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeView {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Also the `webhook-id` header of every attempt.
    pub id: Uuid,
    pub event_type: String,
    /// `pending` (retrying), `succeeded` or `failed`.
    pub status: String,
    pub attempts: i32,
    /// The last attempt's HTTP status; `null` if no answer came.
    pub last_status_code: Option<i32>,
    pub last_duration_ms: Option<i32>,
    pub last_error: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        DeliveryView {
            id: d.id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_duration_ms: d.last_duration_ms,
            last_error: d.last_error,
            payload: d.payload,
            created_at: d.created_at,
            updated_at: d.updated_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// The endpoint's URL: http(s), a host, no credentials, and not an address
/// literal inside private or reserved ranges unless allow-listed.
fn parse_url(text: &str, allow_hosts: &[String]) -> Result<String, FieldError> {
    let url = url::Url::parse(text.trim())
        .map_err(|_| FieldError::new("invalid_url", "Enter an absolute https:// URL."))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FieldError::new(
            "invalid_scheme",
            "Only http:// and https:// URLs can receive webhooks.",
        ));
    }
    let Some(host) = url.host_str() else {
        return Err(FieldError::new("invalid_url", "The URL needs a host."));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(
            "credentials_in_url",
            "Do not put credentials in the URL; deliveries are signed.",
        ));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let allowed = allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(bare));
    if let Ok(ip) = bare.parse::<std::net::IpAddr>()
        && net_guard::is_forbidden(ip)
        && !allowed
    {
        return Err(FieldError::new(
            "forbidden_address",
            "The URL points to a private or reserved address.",
        ));
    }
    Ok(url.to_string())
}

fn parse_event_types(types: &[String]) -> Result<Vec<String>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if types.is_empty() {
        errors.push(
            FieldError::new("required", "Subscribe to at least one event type.").at("event_types"),
        );
    }
    for (i, name) in types.iter().enumerate() {
        if !events::is_event_type(name) {
            errors.push(
                FieldError::new("unknown_event_type", "See /v1/webhooks/event-types.")
                    .at(format!("event_types[{i}]")),
            );
        }
    }
    let mut unique = types.to_vec();
    unique.sort_unstable();
    unique.dedup();
    errors.finish(|| unique)
}

/// Validates every field of an endpoint.
pub fn validate(
    url: &str,
    description: &str,
    event_types: &[String],
    status: &str,
    allow_hosts: &[String],
) -> Result<EndpointFields, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let url = errors.check("url", parse_url(url, allow_hosts));
    let description = errors.check(
        "description",
        guestcare_domain::bounded_text(description, 0, 500),
    );
    let event_types = parse_event_types(event_types)
        .map_err(|e| e.errors().iter().cloned().for_each(|e| errors.push(e)))
        .ok();
    if !matches!(status, "active" | "disabled") {
        errors.push(FieldError::new("invalid_status", "Use active or disabled.").at("status"));
    }
    match (url, description, event_types) {
        (Some(url), Some(description), Some(event_types)) if errors.is_empty() => {
            Ok(EndpointFields {
                url,
                description,
                event_types,
                status: status.to_owned(),
            })
        }
        _ => Err(errors),
    }
}
