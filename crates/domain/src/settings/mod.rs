//! Typed configuration, layered from `config/default.toml`, then
//! `config/$GUESTCARE_ENV.toml`, then `GUESTCARE__SECTION__KEY` environment
//! variables (double underscores separate levels).
//!
//! Settings are loaded once at start-up and passed explicitly; nothing reads
//! them from a global. Secrets are [`SecretString`]s: they print as
//! `[REDACTED]` and are never required to live in a TOML file.

mod load;

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

pub use load::{SettingsError, load, load_from};

/// Every setting of guestcare.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub api: ApiSettings,
    pub worker: WorkerSettings,
    pub mail: MailSettings,
    pub sms: SmsSettings,
    pub templates: TemplateSettings,
    pub inbound: InboundSettings,
    pub security: SecuritySettings,
    pub log: LogSettings,
    pub dev: DevSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `postgres://user:password@host:port/database`; a secret because it
    /// usually carries the password.
    pub url: SecretString,
    /// Connections per process.
    pub pool_size: u32,
    /// How long a request waits for a free connection before answering 503.
    pub connect_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// Address the API listens on, e.g. `127.0.0.1:8080`.
    pub bind: SocketAddr,
    /// The URL guests and integrators reach the API at; used in links.
    pub public_url: String,
    /// Largest accepted request body; larger bodies answer 413.
    pub max_body_bytes: usize,
    /// Largest accepted intake file (`POST /v1/imports`); larger uploads
    /// answer 413.
    pub max_import_bytes: usize,
    /// Lifetime of a login session.
    pub session_ttl_hours: i64,
    /// Failed logins allowed per account within `login_window_secs`.
    pub login_max_failures_per_account: i64,
    /// Failed logins allowed per client address within `login_window_secs`.
    pub login_max_failures_per_ip: i64,
    pub login_window_secs: i64,
    /// Actix worker threads; 0 means one per core.
    pub workers: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    /// Names this worker process in job leases; empty means `hostname-pid`.
    pub id: String,
    /// How often an idle runner polls when no NOTIFY arrives.
    pub poll_interval_ms: u64,
    /// How long a claimed job is leased before the reaper may take it back.
    pub lease_secs: u64,
    /// On SIGTERM, how long in-flight jobs may take to finish.
    pub shutdown_grace_secs: u64,
    /// Where `/metrics` is served; empty disables it.
    pub metrics_bind: String,
    /// How far back missed cron occurrences are caught up after downtime.
    pub cron_catch_up_secs: i64,
    /// Runs the cron scheduler this many seconds ahead of the wall clock
    /// (staging and tests: see tomorrow's birthday scan today). Scheduled
    /// jobs carry their occurrence, so a scan runs for the day it was
    /// scheduled for. 0 in production.
    #[serde(default)]
    pub clock_offset_secs: i64,
    /// Concurrent jobs per queue name.
    pub queues: BTreeMap<String, usize>,
    /// Jobs each queue's runner claims beyond its free slots, so that a busy
    /// queue is claimed in batches (0: only as many as there are free slots).
    pub claim_ahead: usize,
    /// A webhook endpoint whose deliveries have failed without a success for
    /// longer than this is disabled and the tenant's owners are told.
    pub webhook_disable_after_hours: f64,
    /// How long one webhook or SMS gateway request may take.
    pub http_timeout_secs: u64,
}

/// Where outgoing e-mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTransport {
    /// Write one `.eml` file per message into `mail.outbox_dir`.
    Outbox,
    /// Deliver over SMTP with `mail.smtp`.
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub outbox_dir: PathBuf,
    /// The system default sender, e.g. `Guest Care <care@example.com>`.
    pub from: String,
    /// Right-hand side of Message-IDs for tenants without their own sending
    /// domain, and the `X-Loop` identity (`guestcare@{host}`).
    pub host: String,
    pub smtp: SmtpSettings,
    pub dkim: DkimSettings,
}

/// DKIM signing of every outgoing message; an empty `domain` turns it off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DkimSettings {
    /// The signing domain (`d=`).
    pub domain: String,
    /// The selector (`s=`): the key is published at `{selector}._domainkey.{domain}`.
    pub selector: String,
    /// The RSA private key, PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`).
    pub private_key: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    pub password: SecretString,
    /// Open connections kept to the server.
    pub pool_size: u32,
}

/// Where outgoing SMS go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsTransport {
    /// Append one JSON line per message to `sms.log_path`.
    Log,
    /// Use the tenant's configured provider.
    Provider,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsSettings {
    pub transport: SmsTransport,
    pub log_path: PathBuf,
}

/// Message templates and the images they use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSettings {
    /// Largest image accepted by `POST /v1/assets`; larger uploads answer 413.
    pub max_asset_bytes: usize,
    /// Price of one SMS segment for the preview's cost estimate, until a
    /// tenant sets its own.
    pub sms_segment_price: f64,
    /// ISO 4217 currency of `sms_segment_price`.
    pub sms_price_currency: String,
}

/// Inbound mail: what the `poll_imap` job keeps and answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundSettings {
    /// A message larger than this is quarantined (`too_large`) with only
    /// its header stored.
    pub max_message_bytes: u32,
    /// Attachments larger than this are listed without their bytes.
    pub max_attachment_bytes: usize,
    /// A message with more MIME parts is quarantined (`too_many_parts`).
    pub max_parts: usize,
    /// At most one acknowledgement per sender within this many hours (RFC 3834).
    pub ack_window_hours: i64,
    /// Soft bounces of an address before it is suppressed for e-mail.
    pub soft_bounce_threshold: i32,
    /// Longest a poll waits in IMAP IDLE for new mail before it ends (and
    /// the mailbox's schedule starts the next); 0 never idles.
    pub idle_secs: u64,
    /// Messages fetched per IMAP round trip.
    pub fetch_batch: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    /// 32 or more random bytes, base64: signs guest links and encrypts
    /// national ID numbers. Required; supply it from the environment in
    /// production.
    pub secret_key: SecretString,
    /// Webhook targets allowed even though they resolve to private addresses.
    pub webhook_allow_hosts: Vec<String>,
}

impl SecuritySettings {
    /// The decoded master key. `load` has already checked that it is valid
    /// base64 of at least 32 bytes; an invalid key yields an empty vector.
    pub fn master_key(&self) -> Vec<u8> {
        use base64::Engine;
        use secrecy::ExposeSecret;
        base64::engine::general_purpose::STANDARD
            .decode(self.secret_key.expose_secret().trim())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `tracing_subscriber::EnvFilter` directive, e.g. `info,guestcare_api=debug`.
    pub filter: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevSettings {
    /// The project's data folder for `guestcare dev`: Postgres cluster,
    /// outbox, SMS log and `dev.env`.
    pub data_dir: PathBuf,
    /// Port of the private Postgres cluster.
    pub pg_port: u16,
}
