//! Raw RFC 5322 bytes → what guestcare keeps of a message.
//!
//! mail-parser decodes every charset guests use (UTF-8, windows-1258,
//! ISO-8859-1, GB2312/GBK, Big5, …), quoted-printable and base64, and
//! RFC 2047 encoded words; the text is then NFC-normalised (windows-1258
//! decodes Vietnamese into base letters and combining marks). HTML is
//! sanitised with ammonia before it leaves this module, so whatever renders
//! `Parsed::html` later never sees a script, an event handler or a
//! `javascript:` URL. Attachments over the size limit are listed without
//! their bytes. A message that cannot be read is a [`Quarantine`], never a
//! panic.

use chrono::{DateTime, Utc};
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders};

use super::bounce::{self, Bounce};
use crate::text::nfc;

/// Bounds on what is kept of one message.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Attachments larger than this are listed without their bytes.
    pub max_attachment_bytes: usize,
    /// More MIME parts than this: the message is quarantined.
    pub max_parts: usize,
}

/// One attachment; `data` is `None` when it was over the size limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub size: usize,
    pub data: Option<Vec<u8>>,
}

/// The headers that decide whether a message may be answered automatically.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// `Auto-Submitted` (lower case), if present.
    pub auto_submitted: Option<String>,
    /// `X-Auto-Response-Suppress` is present (any value).
    pub auto_response_suppress: bool,
    /// `Precedence` (lower case), if present.
    pub precedence: Option<String>,
    /// Every `X-Loop` value (lower case).
    pub x_loop: Vec<String>,
    /// `List-Id` is present.
    pub list_id: bool,
}

/// A message as guestcare keeps it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Without angle brackets.
    pub message_id: Option<String>,
    /// The sender's address as written (never logged).
    pub from_address: String,
    pub from_name: Option<String>,
    pub subject: Option<String>,
    /// Message-IDs without angle brackets.
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The text body (from the HTML when there is no text part), NFC.
    pub text: String,
    /// The HTML body, sanitised.
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    pub signals: Signals,
    /// Set when the message is a delivery status notification.
    pub bounce: Option<Bounce>,
}

/// Why a message was set aside instead of processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quarantine {
    /// Larger than the mailbox's message size limit (only its header is kept).
    TooLarge,
    /// Not an RFC 5322 message at all.
    Unparseable,
    /// No usable `From` address.
    NoSender,
    /// More MIME parts than `Limits::max_parts`.
    TooManyParts,
    /// The parser failed unexpectedly on it.
    ParserFailure,
}

impl Quarantine {
    pub fn as_str(self) -> &'static str {
        match self {
            Quarantine::TooLarge => "too_large",
            Quarantine::Unparseable => "unparseable",
            Quarantine::NoSender => "no_sender",
            Quarantine::TooManyParts => "too_many_parts",
            Quarantine::ParserFailure => "parser_failure",
        }
    }
}

/// Parses `raw`; a panic inside the parser becomes `ParserFailure`, so one
/// hostile message never stops a mailbox.
pub fn parse(raw: &[u8], limits: Limits) -> Result<Parsed, Quarantine> {
    std::panic::catch_unwind(|| parse_unguarded(raw, limits))
        .unwrap_or(Err(Quarantine::ParserFailure))
}

fn parse_unguarded(raw: &[u8], limits: Limits) -> Result<Parsed, Quarantine> {
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(Quarantine::Unparseable)?;
    if message.parts.len() > limits.max_parts {
        return Err(Quarantine::TooManyParts);
    }
    let sender = message
        .from()
        .and_then(|from| from.first())
        .filter(|addr| addr.address().is_some_and(|a| a.contains('@')))
        .ok_or(Quarantine::NoSender)?;
    let html = message
        .body_html(0)
        .filter(|_| message.html_body_count() > 0)
        .map(|h| nfc(&ammonia::clean(&h)));
    Ok(Parsed {
        message_id: message.message_id().map(str::to_owned),
        from_address: sender.address().unwrap_or_default().trim().to_owned(),
        from_name: sender
            .name()
            .map(|n| nfc(n.trim()))
            .filter(|n| !n.is_empty()),
        subject: message.subject().map(|s| nfc(s.trim())),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        sent_at: message
            .date()
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        text: message.body_text(0).map(|t| nfc(&t)).unwrap_or_default(),
        html,
        attachments: attachments(&message, limits),
        signals: signals(&message),
        bounce: bounce::read(&message),
    })
}

/// Message-IDs of an `In-Reply-To` / `References` header.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn attachments(message: &Message<'_>, limits: Limits) -> Vec<Attachment> {
    message
        .attachments()
        .filter(|part| !part.is_message())
        .map(|part| {
            let bytes = part.contents();
            let content_type = part.content_type().map_or_else(
                || "application/octet-stream".to_owned(),
                |ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub).to_lowercase(),
                    None => ct.ctype().to_lowercase(),
                },
            );
            Attachment {
                filename: part
                    .attachment_name()
                    .map_or_else(|| "attachment".to_owned(), |n| nfc(n.trim())),
                content_type,
                size: bytes.len(),
                data: (bytes.len() <= limits.max_attachment_bytes).then(|| bytes.to_vec()),
            }
        })
        .collect()
}

fn header_text(message: &Message<'_>, name: &str) -> Vec<String> {
    message
        .headers()
        .iter()
        .filter(|h| h.name().eq_ignore_ascii_case(name))
        .filter_map(|h| match h.value() {
            HeaderValue::Text(t) => Some(t.trim().to_lowercase()),
            HeaderValue::TextList(l) => Some(l.join(",").trim().to_lowercase()),
            HeaderValue::Address(a) => a.first().and_then(|a| a.address()).map(str::to_lowercase),
            _ => None,
        })
        .collect()
}

fn signals(message: &Message<'_>) -> Signals {
    let has = |name: &str| {
        message
            .headers()
            .iter()
            .any(|h| h.name().eq_ignore_ascii_case(name))
    };
    Signals {
        auto_submitted: header_text(message, "Auto-Submitted").into_iter().next(),
        auto_response_suppress: has("X-Auto-Response-Suppress"),
        precedence: header_text(message, "Precedence").into_iter().next(),
        x_loop: header_text(message, "X-Loop"),
        list_id: has("List-Id"),
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
