//! The JSON shape of a tenant's channel settings and its validation.
//! Secrets are write-only: views say whether one is set, never what it is.

use chrono::NaiveTime;
use guestcare_db::channel_settings::{ChannelSettings, ChannelSettingsFields};
use guestcare_domain::{
    Email, FieldError, ValidationErrors,
    channels::{
        cap::MarketingCap,
        sms_config::{GatewayConfig, TwilioConfig},
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::MarketingCapBody;

/// The tenant's own SMTP server and sender.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpBody {
    pub host: String,
    /// Default 587.
    #[serde(default = "submission_port")]
    pub port: i32,
    /// `starttls` (default), `tls`, or `none` (only for a relay on loopback).
    #[serde(default = "starttls")]
    pub security: String,
    #[serde(default)]
    pub username: Option<String>,
    /// Write-only. Absent: keep the stored password; empty: remove it.
    #[serde(default, skip_serializing)]
    pub password: Option<String>,
}

fn submission_port() -> i32 {
    587
}

fn starttls() -> String {
    "starttls".to_owned()
}

/// The tenant's SMS provider.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsBody {
    /// `twilio` or `http`.
    pub provider: String,
    /// For `twilio`: `{base_url?, account_sid, from}`; for `http`: `{url,
    /// method, body_format, body_template, auth_header?, success_status?,
    /// success_pointer?, success_value?, id_pointer?}`.
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// Write-only: the auth token or the gateway's auth header value.
    /// Absent: keep the stored one; empty: remove it.
    #[serde(default, skip_serializing)]
    pub secret: Option<String>,
}

/// Hours in which SMS may reach guests, in each guest's time zone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowedHoursBody {
    /// `HH:MM`, default `08:00`.
    pub start: String,
    /// `HH:MM`, default `21:00`; before `start` wraps past midnight.
    pub end: String,
}

/// `PUT /v1/channels/settings`: replaces the settings; `null` sections fall
/// back to the system defaults.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelSettingsRequest {
    #[serde(default)]
    pub smtp: Option<SmtpBody>,
    /// Sender of the tenant's e-mail, e.g. `Sunrise Resort <care@sunrise.vn>`.
    #[serde(default)]
    pub mail_from: Option<String>,
    /// The tenant's sending domain: Message-IDs end in `@{mail_domain}`.
    #[serde(default)]
    pub mail_domain: Option<String>,
    #[serde(default)]
    pub sms: Option<SmsBody>,
    #[serde(default)]
    pub allowed_hours: Option<AllowedHoursBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SmtpView {
    pub host: String,
    pub port: i32,
    pub security: String,
    pub username: Option<String>,
    pub password_set: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SmsView {
    pub provider: String,
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    pub secret_set: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelSettingsView {
    /// `null`: the system's SMTP server.
    pub smtp: Option<SmtpView>,
    pub mail_from: Option<String>,
    pub mail_domain: Option<String>,
    /// `null`: no SMS provider.
    pub sms: Option<SmsView>,
    pub allowed_hours: AllowedHoursBody,
    /// Changed with `PUT /v1/channels/settings/marketing-cap`.
    pub marketing_cap: MarketingCapBody,
}

const HOURS: &str = "%H:%M";

impl ChannelSettingsView {
    pub fn of(row: Option<ChannelSettings>) -> ChannelSettingsView {
        let Some(row) = row else {
            return ChannelSettingsView {
                smtp: None,
                mail_from: None,
                mail_domain: None,
                sms: None,
                allowed_hours: AllowedHoursBody {
                    start: "08:00".to_owned(),
                    end: "21:00".to_owned(),
                },
                marketing_cap: MarketingCap::DEFAULT.into(),
            };
        };
        let marketing_cap = row.marketing_cap().into();
        ChannelSettingsView {
            smtp: row.smtp_host.map(|host| SmtpView {
                host,
                port: row.smtp_port.unwrap_or(587),
                security: row.smtp_security.unwrap_or_else(starttls),
                username: row.smtp_username,
                password_set: row.smtp_password_sealed.is_some(),
            }),
            mail_from: row.mail_from,
            mail_domain: row.mail_domain,
            sms: row.sms_provider.map(|provider| SmsView {
                provider,
                config: row.sms_config,
                secret_set: row.sms_secret_sealed.is_some(),
            }),
            marketing_cap,
            allowed_hours: AllowedHoursBody {
                start: row.quiet_start.format(HOURS).to_string(),
                end: row.quiet_end.format(HOURS).to_string(),
            },
        }
    }
}

pub(crate) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub(crate) fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// `Name <address>` or a bare address.
fn valid_sender(from: &str) -> bool {
    let address = match (from.rfind('<'), from.strip_suffix('>')) {
        (Some(open), Some(rest)) => &rest[open + 1..],
        _ => from,
    };
    address.trim().parse::<Email>().is_ok()
}

impl ChannelSettingsRequest {
    /// The stored fields, or every invalid field.
    pub fn validate(&self) -> Result<ChannelSettingsFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if let Some(smtp) = &self.smtp {
            if !valid_host(&smtp.host) {
                errors.push(FieldError::new("invalid_host", "Enter a host name.").at("smtp.host"));
            }
            if !(1..=65535).contains(&smtp.port) {
                errors.push(FieldError::new("out_of_range", "Use a port 1–65535.").at("smtp.port"));
            }
            match smtp.security.as_str() {
                "starttls" | "tls" => {}
                "none" if is_loopback(&smtp.host) => {}
                "none" => errors.push(
                    FieldError::new(
                        "insecure",
                        "Unencrypted SMTP is only allowed to a relay on this machine.",
                    )
                    .at("smtp.security"),
                ),
                _ => errors.push(
                    FieldError::new("invalid_security", "Use starttls, tls or none.")
                        .at("smtp.security"),
                ),
            }
        }
        if self.mail_from.as_deref().is_some_and(|f| !valid_sender(f)) {
            errors.push(
                FieldError::new("invalid_sender", "Use Name <address@example.com>.")
                    .at("mail_from"),
            );
        }
        if self
            .mail_domain
            .as_deref()
            .is_some_and(|d| !valid_host(d) || !d.contains('.') || d.contains(':'))
        {
            errors
                .push(FieldError::new("invalid_domain", "Enter a domain name.").at("mail_domain"));
        }
        if let Some(sms) = &self.sms {
            match sms.provider.as_str() {
                "twilio" => {
                    if let Err(e) = serde_json::from_value::<TwilioConfig>(sms.config.clone()) {
                        errors.push(
                            FieldError::new("invalid_config", e.to_string()).at("sms.config"),
                        );
                    }
                }
                "http" => match serde_json::from_value::<GatewayConfig>(sms.config.clone()) {
                    Ok(gateway) => gateway
                        .validate()
                        .into_iter()
                        .for_each(|e| errors.push(e.at("sms.config"))),
                    Err(e) => {
                        errors.push(
                            FieldError::new("invalid_config", e.to_string()).at("sms.config"),
                        );
                    }
                },
                _ => errors.push(
                    FieldError::new("invalid_provider", "Use twilio or http.").at("sms.provider"),
                ),
            }
        }
        let hours = self.allowed_hours.as_ref();
        let mut time = |field: &str, text: Option<&str>, default: &str| {
            errors
                .check(
                    field,
                    NaiveTime::parse_from_str(text.unwrap_or(default), HOURS)
                        .map_err(|_| FieldError::new("invalid_time", "Use HH:MM, e.g. 08:00.")),
                )
                .unwrap_or_default()
        };
        let quiet_start = time(
            "allowed_hours.start",
            hours.map(|h| h.start.as_str()),
            "08:00",
        );
        let quiet_end = time("allowed_hours.end", hours.map(|h| h.end.as_str()), "21:00");
        errors.finish(|| ChannelSettingsFields {
            smtp_host: self.smtp.as_ref().map(|s| s.host.clone()),
            smtp_port: self.smtp.as_ref().map(|s| s.port),
            smtp_security: self.smtp.as_ref().map(|s| s.security.clone()),
            smtp_username: self.smtp.as_ref().and_then(|s| s.username.clone()),
            mail_from: self.mail_from.clone(),
            mail_domain: self.mail_domain.clone(),
            sms_provider: self.sms.as_ref().map(|s| s.provider.clone()),
            sms_config: self
                .sms
                .as_ref()
                .map_or_else(|| serde_json::json!({}), |s| s.config.clone()),
            quiet_start,
            quiet_end,
        })
    }
}
