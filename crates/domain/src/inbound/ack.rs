//! Whether a message may get an automatic acknowledgement (RFC 3834).
//!
//! Auto-reply loops are among the most reported helpdesk bugs, so the rule
//! is strict and lives in one pure function, [`decide`]: no acknowledgement
//! to anything automated (`Auto-Submitted` other than `no`,
//! `X-Auto-Response-Suppress`, `Precedence: bulk/list/junk`, a mailing list's
//! `List-Id`), to a delivery report, to our own `X-Loop` or our own
//! messages, to MAILER-DAEMON / postmaster / no-reply senders, and at most
//! one per sender within the tenant's window.

use chrono::{DateTime, TimeDelta, Utc};

use super::{parse::Parsed, thread::is_own_message_id};

/// Who "we" are, to recognise our own mail.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// Our `X-Loop` values (lower case), e.g. `guestcare@mail.resort.vn`.
    pub loop_ids: Vec<String>,
    /// Right-hand sides of our Message-IDs.
    pub id_domains: Vec<String>,
    /// Our own addresses (the mailbox, the tenant's sender), lower case.
    pub own_addresses: Vec<String>,
}

/// Why no acknowledgement is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoAck {
    AutoSubmitted,
    AutoResponseSuppress,
    Precedence,
    OurLoop,
    MailingList,
    DeliveryReport,
    AutomatedSender,
    OwnMessage,
    /// The sender was acknowledged within the window.
    RecentlyAcknowledged,
}

impl NoAck {
    pub fn as_str(self) -> &'static str {
        match self {
            NoAck::AutoSubmitted => "auto_submitted",
            NoAck::AutoResponseSuppress => "auto_response_suppress",
            NoAck::Precedence => "precedence",
            NoAck::OurLoop => "our_loop",
            NoAck::MailingList => "mailing_list",
            NoAck::DeliveryReport => "delivery_report",
            NoAck::AutomatedSender => "automated_sender",
            NoAck::OwnMessage => "own_message",
            NoAck::RecentlyAcknowledged => "recently_acknowledged",
        }
    }
}

/// Whether the message is our own (sent by us, or carrying our loop
/// marker): such a message is never processed as a guest's.
pub fn is_own(message: &Parsed, identity: &Identity) -> bool {
    let from = message.from_address.to_lowercase();
    message
        .signals
        .x_loop
        .iter()
        .any(|l| identity.loop_ids.contains(l))
        || identity.own_addresses.contains(&from)
        || message
            .message_id
            .as_deref()
            .is_some_and(|id| is_own_message_id(id, &identity.id_domains))
}

/// Local parts that never read replies (RFC 3834 §2 and common practice).
fn is_automated_sender(address: &str) -> bool {
    let local = address
        .rsplit_once('@')
        .map_or(address, |(l, _)| l)
        .to_ascii_lowercase();
    let local = local.split('+').next().unwrap_or_default();
    matches!(
        local,
        "mailer-daemon"
            | "postmaster"
            | "no-reply"
            | "noreply"
            | "no_reply"
            | "do-not-reply"
            | "donotreply"
            | "do_not_reply"
            | "bounce"
            | "bounces"
    ) || local.starts_with("owner-")
        || local.ends_with("-request")
}

/// Why `message` is automated (and so never a ticket nor acknowledged):
/// a delivery report, `Auto-Submitted` other than `no`,
/// `X-Auto-Response-Suppress`, `Precedence: bulk/list/junk`, our `X-Loop`,
/// a mailing list, or a MAILER-DAEMON / postmaster / no-reply sender.
pub fn automated(message: &Parsed, identity: &Identity) -> Option<NoAck> {
    let signals = &message.signals;
    let auto_submitted = signals
        .auto_submitted
        .as_deref()
        .is_some_and(|v| v.split(';').next().unwrap_or_default().trim() != "no");
    let bulk = signals
        .precedence
        .as_deref()
        .is_some_and(|p| matches!(p, "bulk" | "list" | "junk"));
    [
        (message.bounce.is_some(), NoAck::DeliveryReport),
        (auto_submitted, NoAck::AutoSubmitted),
        (signals.auto_response_suppress, NoAck::AutoResponseSuppress),
        (bulk, NoAck::Precedence),
        (
            signals.x_loop.iter().any(|l| identity.loop_ids.contains(l)),
            NoAck::OurLoop,
        ),
        (signals.list_id, NoAck::MailingList),
        (
            is_automated_sender(&message.from_address),
            NoAck::AutomatedSender,
        ),
    ]
    .into_iter()
    .find_map(|(hit, why)| hit.then_some(why))
}

/// `Ok` when an acknowledgement may be sent for `message`: it is not
/// [`automated`], not our own, and the sender's last acknowledgement
/// (`last_ack`) is at least `window` old.
pub fn decide(
    message: &Parsed,
    identity: &Identity,
    last_ack: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    window: TimeDelta,
) -> Result<(), NoAck> {
    if let Some(why) = automated(message, identity) {
        return Err(why);
    }
    if is_own(message, identity) {
        return Err(NoAck::OwnMessage);
    }
    if last_ack.is_some_and(|at| now - at < window) {
        return Err(NoAck::RecentlyAcknowledged);
    }
    Ok(())
}

#[cfg(test)]
#[path = "ack_tests.rs"]
mod tests;
