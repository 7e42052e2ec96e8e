//! The JSON shape of a mailbox and its validation. One body serves create
//! (`POST`, where the server fields and the password are required) and
//! update (`PATCH`, where an absent field keeps its value). The password is
//! write-only: views say it is set, never what it is.

use chrono::{DateTime, Utc};
use guestcare_db::mailboxes::{Mailbox, MailboxFields};
use guestcare_domain::{
    FieldError, ValidationErrors,
    inbound::{ImapSecurity, MailboxPurpose, poll_cron},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::routes::channels::{is_loopback, valid_host};

/// A mailbox to create, or the fields to change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxBody {
    /// Unique within the tenant, e.g. `Feedback`.
    pub name: Option<String>,
    /// `feedback`, `support` or `survey_replies`.
    pub purpose: Option<String>,
    pub host: Option<String>,
    /// Default 993 for `tls`, 143 otherwise.
    pub port: Option<i32>,
    /// `tls` (default), `starttls`, or `none` (only for a server on loopback).
    pub security: Option<String>,
    pub username: Option<String>,
    /// Write-only; required on create.
    pub password: Option<String>,
    /// Default `INBOX`.
    pub folder: Option<String>,
    /// After a message is stored: `flag` (\Seen, default) or `move`.
    pub processed_action: Option<String>,
    /// The folder processed messages move to (with `move`).
    pub processed_folder: Option<String>,
    /// Seconds between polls: 2–30 dividing a minute, or whole minutes
    /// dividing an hour (60–3600). Default 60.
    pub poll_interval_secs: Option<i32>,
    /// Default `true`.
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxView {
    pub id: Uuid,
    pub name: String,
    pub purpose: String,
    pub host: String,
    pub port: i32,
    pub security: String,
    pub username: String,
    /// Always `true`: a mailbox cannot exist without its password.
    pub password_set: bool,
    pub folder: String,
    pub processed_action: String,
    pub processed_folder: Option<String>,
    pub poll_interval_secs: i32,
    pub active: bool,
    /// The cursor: the folder's UIDVALIDITY and the last UID stored.
    pub uid_validity: Option<i64>,
    pub last_uid: i64,
    pub last_polled_at: Option<DateTime<Utc>>,
    /// Why the last poll failed (connection, login, folder); `null` if it worked.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Mailbox> for MailboxView {
    fn from(m: Mailbox) -> MailboxView {
        MailboxView {
            id: m.id,
            name: m.name,
            purpose: m.purpose,
            host: m.host,
            port: m.port,
            security: m.security,
            username: m.username,
            password_set: !m.secret_sealed.is_empty(),
            folder: m.folder,
            processed_action: m.processed_action,
            processed_folder: m.processed_folder,
            poll_interval_secs: m.poll_interval_secs,
            active: m.active,
            uid_validity: m.uid_validity,
            last_uid: m.last_uid,
            last_polled_at: m.last_polled_at,
            last_error: m.last_error,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A folder name: 1–200 characters, no control characters.
fn valid_folder(folder: &str) -> bool {
    !folder.trim().is_empty()
        && folder.chars().count() <= 200
        && !folder.chars().any(char::is_control)
}

fn required<'a>(errors: &mut ValidationErrors, field: &str, value: Option<&'a str>) -> &'a str {
    match value {
        Some(v) if !v.trim().is_empty() => v,
        _ => {
            errors.push(FieldError::new("required", "This field is required.").at(field));
            ""
        }
    }
}

impl MailboxBody {
    /// The stored fields: this body over `current` (absent fields keep their
    /// value; with no `current`, the required ones must be given), or every
    /// invalid field.
    pub fn validate(&self, current: Option<&Mailbox>) -> Result<MailboxFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = required(
            &mut errors,
            "name",
            self.name.as_deref().or(current.map(|c| c.name.as_str())),
        );
        if name.chars().count() > 100 {
            errors.push(FieldError::new("too_long", "Use at most 100 characters.").at("name"));
        }
        let purpose = required(
            &mut errors,
            "purpose",
            self.purpose
                .as_deref()
                .or(current.map(|c| c.purpose.as_str())),
        );
        if !purpose.is_empty() && MailboxPurpose::parse(purpose).is_none() {
            errors.push(
                FieldError::new(
                    "invalid_purpose",
                    "Use feedback, support or survey_replies.",
                )
                .at("purpose"),
            );
        }
        let host = required(
            &mut errors,
            "host",
            self.host.as_deref().or(current.map(|c| c.host.as_str())),
        );
        if !host.is_empty() && !valid_host(host) {
            errors.push(FieldError::new("invalid_host", "Enter a host name.").at("host"));
        }
        let security = self
            .security
            .as_deref()
            .or(current.map(|c| c.security.as_str()))
            .unwrap_or("tls");
        match ImapSecurity::parse(security) {
            Some(ImapSecurity::None) if !is_loopback(host) => errors.push(
                FieldError::new(
                    "insecure",
                    "Unencrypted IMAP is only allowed to a server on this machine.",
                )
                .at("security"),
            ),
            Some(_) => {}
            None => errors.push(
                FieldError::new("invalid_security", "Use tls, starttls or none.").at("security"),
            ),
        }
        let default_port = if security == "tls" { 993 } else { 143 };
        let port = self
            .port
            .or(current.map(|c| c.port))
            .unwrap_or(default_port);
        if !(1..=65535).contains(&port) {
            errors.push(FieldError::new("out_of_range", "Use a port 1–65535.").at("port"));
        }
        let username = required(
            &mut errors,
            "username",
            self.username
                .as_deref()
                .or(current.map(|c| c.username.as_str())),
        );
        if current.is_none() || self.password.is_some() {
            required(&mut errors, "password", self.password.as_deref());
        }
        let folder = self
            .folder
            .as_deref()
            .or(current.map(|c| c.folder.as_str()))
            .unwrap_or("INBOX");
        if !valid_folder(folder) {
            errors.push(
                FieldError::new("invalid_folder", "Enter a folder name, e.g. INBOX.").at("folder"),
            );
        }
        let action = self
            .processed_action
            .as_deref()
            .or(current.map(|c| c.processed_action.as_str()))
            .unwrap_or("flag");
        let processed_folder = match action {
            "flag" => None,
            "move" => {
                let target = self
                    .processed_folder
                    .as_deref()
                    .or(current.and_then(|c| c.processed_folder.as_deref()));
                match target {
                    Some(f) if valid_folder(f) && f != folder => Some(f.to_owned()),
                    _ => {
                        errors.push(
                            FieldError::new(
                                "invalid_folder",
                                "Name the folder processed messages move to.",
                            )
                            .at("processed_folder"),
                        );
                        None
                    }
                }
            }
            _ => {
                errors.push(
                    FieldError::new("invalid_action", "Use flag or move.").at("processed_action"),
                );
                None
            }
        };
        let poll_interval_secs = self
            .poll_interval_secs
            .or(current.map(|c| c.poll_interval_secs))
            .unwrap_or(60);
        if poll_cron(poll_interval_secs).is_none() {
            errors.push(
                FieldError::new(
                    "invalid_interval",
                    "Use 2–30 seconds dividing a minute, or whole minutes dividing an hour.",
                )
                .at("poll_interval_secs"),
            );
        }
        errors.finish(|| MailboxFields {
            name: name.trim().to_owned(),
            purpose: purpose.to_owned(),
            host: host.to_owned(),
            port,
            security: security.to_owned(),
            username: username.to_owned(),
            folder: folder.to_owned(),
            processed_action: action.to_owned(),
            processed_folder,
            poll_interval_secs,
            active: self.active.or(current.map(|c| c.active)).unwrap_or(true),
        })
    }
}
