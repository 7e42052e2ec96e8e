//! [`send_to_guest`]: the one way to queue a message to a guest, used by the
//! API, automations, campaigns and surveys. It applies every rule in one
//! transaction and records a message row whatever the outcome.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    channels::{
        Category, MessageStatus, WithheldReason,
        cap::MarketingCap,
        is_e164,
        quiet_hours::{AllowedHours, next_allowed},
    },
    guest::{ConsentChannel, ConsentPurpose},
    signed_token::{GuestLinks, Unsubscribe},
    templates::{
        self, Channel, Context, OccasionVars, Purpose, Rendered, Source, TemplateError, TenantVars,
    },
};
use uuid::Uuid;

use super::{
    Message, NewMessage, send_job,
    text::{choose_template, guest_vars, language_of},
    thread::Thread,
};
use crate::{
    channel_settings, consents, guests, new_id,
    schema::messages,
    suppressions, tenants,
    timeline::{self, Actor, NewEntry},
};

/// What to send to whom.
#[derive(Debug, Clone)]
pub struct GuestMessage {
    pub guest_id: Uuid,
    pub channel: Channel,
    pub purpose: Purpose,
    /// The purpose's `extra` template fields (checked by the caller).
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The occasion of a holiday greeting.
    pub occasion: Option<OccasionVars>,
    /// The caller's occurrence key (`rule:{id}:guest:{id}:{date}`, an
    /// Idempotency-Key): a second send with the same key returns the first
    /// message and does nothing else.
    pub dedupe_key: String,
    pub actor: Actor,
}

/// What became of a send.
#[derive(Debug, Clone)]
pub enum SendOutcome {
    /// Queued; its job sends it (not before quiet hours end for SMS).
    Queued(Message),
    /// Recorded as `suppressed` with the reason; nothing is sent.
    Withheld(Message, WithheldReason),
    /// The dedupe key was used before: the message of that send.
    Repeated(Message),
}

impl SendOutcome {
    pub fn message(&self) -> &Message {
        match self {
            SendOutcome::Queued(m) | SendOutcome::Withheld(m, _) | SendOutcome::Repeated(m) => m,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// Neither the tenant nor guestcare has a text for the purpose and channel.
    #[error("no template for this purpose and channel")]
    NoTemplate,
    #[error("template: {0:?}")]
    Template(TemplateError),
}

/// Queues `send` in the caller's transaction: locks the guest (so two
/// concurrent sends cannot both pass the frequency cap), picks the address
/// (e-mail, or the first E.164 phone) and language (the guest's, else the
/// tenant's default), checks marketing consent on the channel for marketing
/// purposes, the suppression list and the cap (default 2 marketing messages
/// per 7 days, `channel_settings.marketing_cap{,_days}`), renders the
/// tenant's template or the built-in one, holds SMS until the guest's allowed
/// hours, inserts the message (`queued` with its send job, or `suppressed`
/// with the reason) and puts it on the guest's timeline.
/// A marketing message gets its own signed unsubscribe link from `links`
/// (the short form on SMS): in `messages.unsubscribe_url` (an e-mail's
/// `List-Unsubscribe` header) and as the template's `extra.unsubscribe_url`
/// (the footer), replacing any given.
/// A merged-away guest is sent to as the guest it was merged into.
pub fn send_to_guest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    send: &GuestMessage,
    links: &GuestLinks,
) -> Result<SendOutcome, SendError> {
    send_threaded(conn, tenant_id, send, Some(links), &Thread::default())
}

/// [`send_to_guest`] answering an earlier e-mail of the guest as `thread`
/// says (threading headers, subject token, automatic reply). `links` may be
/// `None` only for service purposes, which carry no unsubscribe link.
pub fn send_threaded(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    send: &GuestMessage,
    links: Option<&GuestLinks>,
    thread: &Thread,
) -> Result<SendOutcome, SendError> {
    let mut guest = guests::lock_guest(conn, tenant_id, send.guest_id)?;
    if let Some(survivor) = guest.merged_into {
        guest = guests::lock_guest(conn, tenant_id, survivor)?;
    }
    if let Some(first) = find_by_dedupe_key(conn, tenant_id, &send.dedupe_key)? {
        return Ok(SendOutcome::Repeated(first));
    }
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let settings = channel_settings::get_channel_settings(conn, tenant_id)?;
    let default_language = tenant.default_language.parse().unwrap_or(Language::En);
    let language = language_of(&guest, default_language);
    let (source, content) = choose_template(
        conn,
        tenant_id,
        send.purpose,
        send.channel,
        language,
        default_language,
    )?;
    let language = match source {
        Source::Tenant(l) | Source::Builtin(l) => l,
    };
    let id = new_id();
    let marketing = send.purpose.is_marketing();
    let unsubscribe_url = links.filter(|_| marketing).map(|links| match send.channel {
        Channel::Email => links.unsubscribe_url(&Unsubscribe {
            tenant_id,
            guest_id: guest.id,
            channel: ConsentChannel::Email,
            purpose: ConsentPurpose::Marketing,
            message_id: id,
        }),
        Channel::Sms => links.message_unsubscribe_url(id),
    });
    let mut extra = send.extra.clone();
    if let Some(url) = &unsubscribe_url {
        extra.insert("unsubscribe_url".to_owned(), url.clone().into());
    }
    let context = Context {
        guest: Some(guest_vars(&guest, language)),
        tenant: TenantVars {
            name: tenant.name.clone(),
            ..TenantVars::default()
        },
        occasion: send.occasion.clone(),
        extra,
    };
    let rendered = templates::render(&content, language, &context).map_err(SendError::Template)?;
    let address = match send.channel {
        Channel::Email => guest.email.clone(),
        Channel::Sms => guest.phones.iter().flatten().find(|p| is_e164(p)).cloned(),
    }
    .filter(|_| guest.erased_at.is_none());
    let withheld = match &address {
        None => Some(WithheldReason::NoAddress),
        Some(address) => {
            if marketing
                && !consents::has_marketing_consent(
                    conn,
                    tenant_id,
                    guest.id,
                    consent_channel(send.channel),
                )?
            {
                Some(WithheldReason::NoConsent)
            } else if suppressions::find_suppression(
                conn,
                tenant_id,
                message_channel(send.channel),
                address,
            )?
            .is_some()
            {
                Some(WithheldReason::SuppressedAddress)
            } else if marketing && over_cap(conn, tenant_id, guest.id, settings.as_ref())? {
                Some(WithheldReason::FrequencyCap)
            } else {
                None
            }
        }
    };
    let (subject, body_text, body_html) = match rendered {
        Rendered::Email(mail) => (
            Some(thread.subject(mail.subject)),
            mail.text,
            Some(mail.html),
        ),
        Rendered::Sms { body, .. } => (None, body, None),
    };
    let time_zone = guest
        .time_zone
        .clone()
        .unwrap_or_else(|| tenant.time_zone.clone());
    let category = if marketing {
        Category::Marketing
    } else if thread.auto_reply {
        Category::AutoReply
    } else {
        Category::Service
    };
    let message = NewMessage {
        id,
        tenant_id,
        guest_id: Some(guest.id),
        channel: send.channel.as_str().to_owned(),
        purpose: send.purpose.as_str().to_owned(),
        category: category.as_str().to_owned(),
        template_key: Some(format!(
            "{}/{}/{}",
            send.purpose,
            send.channel,
            language.as_str()
        )),
        language: Some(language.as_str().to_owned()),
        recipient: address.unwrap_or_default(),
        time_zone: Some(time_zone.clone()),
        subject,
        body_text,
        body_html,
        unsubscribe_url,
        parts_of: None,
        dedupe_key: Some(send.dedupe_key.clone()),
    };
    let status = match withheld {
        Some(_) => MessageStatus::Suppressed,
        None => MessageStatus::Queued,
    };
    let row: Message = diesel::insert_into(messages::table)
        .values((
            &message,
            messages::status.eq(status.as_str()),
            messages::suppression_reason.eq(withheld.map(WithheldReason::as_str)),
            messages::in_reply_to.eq(&thread.in_reply_to),
        ))
        .returning(Message::as_returning())
        .get_result(conn)?;
    if withheld.is_none() {
        let send_at = match send.channel {
            Channel::Sms => {
                let tz: Tz = time_zone.parse().unwrap_or(Tz::Asia__Ho_Chi_Minh);
                let window =
                    settings
                        .as_ref()
                        .map_or_else(AllowedHours::default, |s| AllowedHours {
                            start: s.quiet_start,
                            end: s.quiet_end,
                        });
                let now = Utc::now();
                Some(next_allowed(now, tz, window)).filter(|at| *at > now)
            }
            Channel::Email => None,
        };
        guestcare_jobs::enqueue(
            conn,
            &send_job(&row, send_at, format!("message:{}", row.id)),
        )?;
    }
    timeline::record(
        conn,
        tenant_id,
        guest.id,
        NewEntry {
            kind: if withheld.is_some() {
                "message.suppressed"
            } else {
                "message.queued"
            },
            occurred_at: row.created_at,
            summary: serde_json::json!({
                "channel": row.channel,
                "purpose": row.purpose,
                "status": row.status,
                "reason": row.suppression_reason,
                "subject": row.subject,
            }),
            ref_id: Some(row.id),
            actor: send.actor,
        },
    )?;
    Ok(match withheld {
        Some(reason) => SendOutcome::Withheld(row, reason),
        None => SendOutcome::Queued(row),
    })
}

fn find_by_dedupe_key(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    key: &str,
) -> QueryResult<Option<Message>> {
    messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::dedupe_key.eq(key))
        .select(Message::as_select())
        .first(conn)
        .optional()
}

/// Whether the guest already has the tenant's maximum of live (queued or
/// sent) marketing messages in the cap's window.
fn over_cap(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    settings: Option<&channel_settings::ChannelSettings>,
) -> QueryResult<bool> {
    let cap = settings.map_or(MarketingCap::DEFAULT, |s| s.marketing_cap());
    let recent: i64 = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::guest_id.eq(guest_id))
        .filter(messages::category.eq(Category::Marketing.as_str()))
        .filter(
            messages::status.eq_any([MessageStatus::Queued.as_str(), MessageStatus::Sent.as_str()]),
        )
        .filter(messages::created_at.gt(Utc::now() - Duration::days(i64::from(cap.days))))
        .count()
        .get_result(conn)?;
    Ok(recent >= i64::from(cap.messages))
}

fn consent_channel(channel: Channel) -> ConsentChannel {
    match channel {
        Channel::Email => ConsentChannel::Email,
        Channel::Sms => ConsentChannel::Sms,
    }
}

fn message_channel(channel: Channel) -> guestcare_domain::channels::Channel {
    match channel {
        Channel::Email => guestcare_domain::channels::Channel::Email,
        Channel::Sms => guestcare_domain::channels::Channel::Sms,
    }
}
