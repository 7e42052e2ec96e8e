//! One fetched message → what it becomes, in the caller's transaction.
//!
//! Stored first ([`insert_inbound`]: a duplicate stops here, so nothing
//! below can happen twice), then routed: a quarantined message stays as it
//! is; our own mail and automated mail (auto-replies, lists, bulk, no-reply
//! senders) are kept but `ignored`; a delivery report is applied to the
//! message it reports on (`bounce`); a survey mailbox's mail goes to the
//! survey; anything else is a guest's: a `reply` on the ticket it threads
//! to, or a new `ticket`, acknowledged when [`ack::decide`] allows.

use chrono::TimeDelta;
use diesel::prelude::*;
use guestcare_domain::inbound::{
    MailboxPurpose,
    ack::{self, Identity},
    guess_language,
    parse::{Limits, Parsed, Quarantine, parse},
};
use uuid::Uuid;

use super::{
    Disposition, NewInbound, bounces::apply_bounce, insert_attachments, insert_inbound,
    sender::guest_for_sender, set_disposition, synthetic_message_id, thread,
};
use crate::{
    guests::GuestKeys,
    mailboxes::Mailbox,
    new_id,
    surveys::{EmailReply, ReplyOutcome, ingest_email_reply},
};

/// The tenant-independent rules of ingestion (`[inbound]` settings).
#[derive(Debug, Clone, Copy)]
pub struct IngestConfig {
    pub limits: Limits,
    /// At most one acknowledgement per sender within this window.
    pub ack_window: TimeDelta,
    pub soft_bounce_threshold: i32,
}

/// A message as fetched from the server.
#[derive(Debug, Clone, Copy)]
pub struct Fetched<'a> {
    pub uid_validity: i64,
    pub uid: i64,
    /// The whole message, or only its header when `too_large`.
    pub raw: &'a [u8],
    /// The size the server reported (`RFC822.SIZE`).
    pub size: u32,
    pub too_large: bool,
}

/// What [`ingest`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// The stored message; `None` when it was already stored.
    pub id: Option<Uuid>,
    pub disposition: &'static str,
    pub ticket_id: Option<Uuid>,
    pub acknowledged: bool,
}

/// Stores and routes one message of `mailbox`. `identity` is who the tenant
/// is (to recognise its own mail and Message-IDs).
pub fn ingest(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    config: &IngestConfig,
    identity: &Identity,
    mailbox: &Mailbox,
    fetched: &Fetched<'_>,
) -> QueryResult<Ingested> {
    let mut parsed = parse(fetched.raw, config.limits);
    let header = parsed.as_ref().ok().cloned();
    if fetched.too_large {
        parsed = Err(Quarantine::TooLarge);
    }
    let id = new_id();
    let message_id = header
        .as_ref()
        .and_then(|p| p.message_id.clone())
        .unwrap_or_else(|| synthetic_message_id(fetched.raw));
    let references: Vec<Option<String>> = header
        .as_ref()
        .map(|p| p.references.iter().cloned().map(Some).collect())
        .unwrap_or_default();
    let new = NewInbound {
        id,
        tenant_id: mailbox.tenant_id,
        mailbox_id: Some(mailbox.id),
        uid_validity: fetched.uid_validity,
        uid: fetched.uid,
        message_id: &message_id,
        disposition: if parsed.is_ok() {
            "ignored"
        } else {
            "quarantined"
        },
        quarantine_reason: parsed.as_ref().err().map(|q| q.as_str()),
        size: i32::try_from(fetched.size).unwrap_or(i32::MAX),
        raw: fetched.raw,
        from_address: header.as_ref().map(|p| p.from_address.as_str()),
        from_name: header.as_ref().and_then(|p| p.from_name.as_deref()),
        subject: header.as_ref().and_then(|p| p.subject.as_deref()),
        in_reply_to: header
            .as_ref()
            .and_then(|p| p.in_reply_to.last().map(String::as_str)),
        references,
        sent_at: header.as_ref().and_then(|p| p.sent_at),
        body_text: parsed.as_ref().ok().map(|p| p.text.as_str()),
        body_html: parsed.as_ref().ok().and_then(|p| p.html.as_deref()),
    };
    if !insert_inbound(conn, &new)? {
        return Ok(Ingested {
            id: None,
            disposition: "duplicate",
            ticket_id: None,
            acknowledged: false,
        });
    }
    let Ok(message) = parsed else {
        return Ok(Ingested {
            id: Some(id),
            disposition: "quarantined",
            ticket_id: None,
            acknowledged: false,
        });
    };
    insert_attachments(conn, mailbox.tenant_id, id, &message.attachments)?;
    let routed = route(conn, keys, config, identity, mailbox, id, &message)?;
    set_disposition(conn, mailbox.tenant_id, id, &routed)?;
    Ok(Ingested {
        id: Some(id),
        disposition: routed.disposition,
        ticket_id: routed.ticket_id,
        acknowledged: routed.ack_message_id.is_some(),
    })
}

fn ignored(note: &'static str) -> Disposition {
    Disposition {
        disposition: "ignored",
        note: Some(note),
        ..Disposition::default()
    }
}

fn route(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    config: &IngestConfig,
    identity: &Identity,
    mailbox: &Mailbox,
    id: Uuid,
    message: &Parsed,
) -> QueryResult<Disposition> {
    let tenant_id = mailbox.tenant_id;
    if ack::is_own(message, identity) {
        return Ok(ignored("own_message"));
    }
    if let Some(bounce) = &message.bounce {
        let effect = apply_bounce(
            conn,
            tenant_id,
            bounce,
            &identity.id_domains,
            config.soft_bounce_threshold,
        )?;
        return Ok(Disposition {
            disposition: "bounce",
            note: effect.message_id.is_none().then_some("unknown_original"),
            bounced_message_id: effect.message_id,
            bounce_status: bounce.status.clone(),
            ..Disposition::default()
        });
    }
    if let Some(why) = ack::automated(message, identity) {
        return Ok(ignored(why.as_str()));
    }
    let purpose = MailboxPurpose::parse(&mailbox.purpose).unwrap_or(MailboxPurpose::Feedback);
    if purpose == MailboxPurpose::SurveyReplies
        && let Some(answered) = survey_reply(conn, tenant_id, id, message)?
    {
        return Ok(answered);
    }
    let language = guess_language(&message.text);
    let guest_id = guest_for_sender(
        conn,
        keys,
        tenant_id,
        &message.from_address,
        message.from_name.as_deref(),
        language,
    )?;
    thread::to_ticket(
        conn, config, identity, purpose, tenant_id, id, guest_id, message,
    )
}

/// A survey mailbox's message as the answer to an invitation: recorded, or
/// a care task when it cannot be (`needs_review`). `None` when it answers
/// no invitation: it is then an ordinary message (a ticket).
fn survey_reply(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    message: &Parsed,
) -> QueryResult<Option<Disposition>> {
    let reply = EmailReply {
        inbound_message_id: id,
        from: message.from_address.clone(),
        subject: message.subject.clone(),
        text: message.text.clone(),
        in_reply_to: message.in_reply_to.last().map(|i| format!("<{i}>")),
        references: message
            .references
            .iter()
            .map(|r| format!("<{r}>"))
            .collect(),
    };
    let (guest_id, note) = match ingest_email_reply(conn, tenant_id, &reply)? {
        ReplyOutcome::Recorded { guest_id, .. } => (guest_id, None),
        ReplyOutcome::NeedsReview { guest_id, .. } => (guest_id, Some("needs_review")),
        ReplyOutcome::Unmatched => return Ok(None),
    };
    Ok(Some(Disposition {
        disposition: "survey_reply",
        note,
        guest_id: Some(guest_id),
        ..Disposition::default()
    }))
}
