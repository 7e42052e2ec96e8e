//! RFC 3464 delivery status notifications (`multipart/report;
//! report-type=delivery-status`).
//!
//! A DSN names the failed recipient and a status code per recipient in its
//! `message/delivery-status` part, and carries the original message (or its
//! header) in a `message/rfc822` / `text/rfc822-headers` part, whose
//! Message-ID links the bounce to what we sent. A `5.x.x` status is a hard
//! bounce, `4.x.x` a soft one; a report whose action is `delayed`, `relayed`
//! or `delivered` is still a report (never a ticket) but no failure.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

/// What a delivery failure report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    /// The address that failed (from `Final-Recipient`, else
    /// `Original-Recipient`), without the `rfc822;` type.
    pub recipient: Option<String>,
    /// The failed recipient's status code, e.g. `5.1.1`; `None` when the
    /// report names no failure (a delay or delivery notice).
    pub status: Option<String>,
    /// The original message's Message-ID, without angle brackets.
    pub original_message_id: Option<String>,
}

impl Bounce {
    /// A permanent failure (`5.x.x`).
    pub fn is_hard(&self) -> bool {
        self.status.as_deref().is_some_and(|s| s.starts_with('5'))
    }

    /// A temporary failure that the sender gave up on (`4.x.x`, action `failed`).
    pub fn is_soft(&self) -> bool {
        self.status.as_deref().is_some_and(|s| s.starts_with('4'))
    }
}

/// Whether `message` is a delivery status notification, and what it says.
pub fn read(message: &Message<'_>) -> Option<Bounce> {
    let root = message.root_part().content_type()?;
    let is_report = root.ctype().eq_ignore_ascii_case("multipart")
        && root
            .subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        && root
            .attribute("report-type")
            .is_some_and(|t| t.eq_ignore_ascii_case("delivery-status"));
    if !is_report {
        return None;
    }
    let mut failure = None;
    let mut original_message_id = None;
    for part in &message.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let kind = (
            ct.ctype().to_ascii_lowercase(),
            ct.subtype().unwrap_or_default().to_ascii_lowercase(),
        );
        match (kind.0.as_str(), kind.1.as_str()) {
            ("message", "delivery-status") => {
                failure = failure.or_else(|| failed_recipient(part.contents()));
            }
            ("message", "rfc822") => {
                if let PartType::Message(original) = &part.body {
                    original_message_id = original.message_id().map(str::to_owned);
                }
            }
            ("text", "rfc822-headers") => {
                original_message_id = MessageParser::default()
                    .parse_headers(part.contents())
                    .and_then(|h| h.message_id().map(str::to_owned));
            }
            _ => {}
        }
    }
    let (recipient, status) = failure.map_or((None, None), |(r, s)| (r, Some(s)));
    Some(Bounce {
        recipient,
        status,
        original_message_id,
    })
}

/// The first recipient whose action is `failed` (or whose status is 4/5.x.x
/// when no action is given), from the text of a `message/delivery-status`
/// part: a per-message block, then one block per recipient.
fn failed_recipient(body: &[u8]) -> Option<(Option<String>, String)> {
    let text = String::from_utf8_lossy(body);
    let normalised = text.replace("\r\n", "\n");
    normalised.split("\n\n").find_map(|block| {
        let field = |name: &str| {
            block.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let status = field("Status")?;
        let status = status.split_whitespace().next()?.to_owned();
        let action = field("Action").map(|a| a.to_ascii_lowercase());
        let failed = match action.as_deref() {
            Some(action) => action == "failed",
            None => status.starts_with('5') || status.starts_with('4'),
        };
        if !failed {
            return None;
        }
        let recipient = field("Final-Recipient")
            .or_else(|| field("Original-Recipient"))
            .map(|r| match r.split_once(';') {
                Some((_, address)) => address.trim().to_owned(),
                None => r,
            });
        Some((recipient, status))
    })
}
