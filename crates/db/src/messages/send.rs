//! [`send_to_guest`]: the one way to queue a message to a guest, used by the
//! API, automations, campaigns and surveys. It applies every rule in one
//! transaction and records a message row whatever the outcome.

use std::{collections::BTreeMap, sync::Arc};

use chrono::Utc;
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    channels::{
        Category, MessageStatus, WithheldReason, is_e164,
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
    Message, NewMessage,
    rules::withheld_reason,
    send_job,
    text::{OwnText, choose_template, guest_vars, language_of},
};
use crate::{
    channel_settings, guests, new_id,
    schema::messages,
    tenants,
    timeline::{self, Actor, NewEntry},
};

/// Where a message's words come from.
#[derive(Debug, Clone, Default)]
pub enum Text {
    /// The tenant's template of the purpose, else the built-in one
    /// (`templates::select`).
    #[default]
    Template,
    /// The caller's own texts by language (a campaign's variants).
    Own(Arc<OwnText>),
}

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
    /// What the message says: the purpose's template, or the caller's own.
    pub text: Text,
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
/// A marketing e-mail gets its own signed unsubscribe link from `links`: in
/// `messages.unsubscribe_url` (the `List-Unsubscribe` header) and as the
/// template's `extra.unsubscribe_url` (the footer), replacing any given.
/// A merged-away guest is sent to as the guest it was merged into.
pub fn send_to_guest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    send: &GuestMessage,
    links: &GuestLinks,
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
    let (language, template_key, own) = match &send.text {
        Text::Template => {
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
            let key = format!("{}/{}/{}", send.purpose, send.channel, language.as_str());
            (language, key, Err(content))
        }
        Text::Own(own) => {
            let (language, compiled) = own.choose(language).ok_or(SendError::NoTemplate)?;
            (
                language,
                format!("{}/{}", own.key, language.as_str()),
                Ok((own, compiled)),
            )
        }
    };
    let id = new_id();
    let marketing = send.purpose.is_marketing();
    let unsubscribe_url = (marketing && send.channel == Channel::Email).then(|| {
        links.unsubscribe_url(&Unsubscribe {
            tenant_id,
            guest_id: guest.id,
            channel: ConsentChannel::Email,
            purpose: ConsentPurpose::Marketing,
            message_id: id,
        })
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
    let rendered = match &own {
        Ok((_, compiled)) => compiled.render(&context),
        Err(content) => templates::render(content, language, &context),
    }
    .map_err(SendError::Template)?;
    let address = match send.channel {
        Channel::Email => guest.email.clone(),
        Channel::Sms => guest.phones.iter().flatten().find(|p| is_e164(p)).cloned(),
    }
    .filter(|_| guest.erased_at.is_none());
    let withheld = withheld_reason(
        conn,
        tenant_id,
        &guest,
        send.channel,
        address.as_deref(),
        marketing,
        settings.as_ref(),
    )?;
    let (subject, body_text, body_html) = match rendered {
        Rendered::Email(mail) => (Some(mail.subject), mail.text, Some(mail.html)),
        Rendered::Sms { body, .. } => (None, body, None),
    };
    let time_zone = guest
        .time_zone
        .clone()
        .unwrap_or_else(|| tenant.time_zone.clone());
    let category = if marketing {
        Category::Marketing
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
        template_key: Some(template_key),
        language: Some(language.as_str().to_owned()),
        recipient: address.unwrap_or_default(),
        time_zone: Some(time_zone.clone()),
        subject,
        body_text,
        body_html,
        unsubscribe_url,
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
            messages::dedupe_key.eq(&send.dedupe_key),
            messages::from_name.eq(own.as_ref().ok().and_then(|(o, _)| o.from_name.as_deref())),
        ))
        .returning(Message::as_returning())
        .get_result(conn)?;
    if withheld.is_none() {
        let waits = match send.channel {
            Channel::Sms => true,
            Channel::Email => own.as_ref().is_ok_and(|(o, _)| o.email_in_allowed_hours),
        };
        let send_at = waits
            .then(|| {
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
            })
            .flatten();
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
