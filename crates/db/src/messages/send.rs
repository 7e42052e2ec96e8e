//! [`send_to_guest`]: the one way to queue a message to a guest, used by the
//! API, automations, campaigns and surveys. It applies every rule in one
//! transaction and records a message row whatever the outcome.

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use diesel::prelude::*;
use guestcare_domain::{
    channels::{MessageStatus, WithheldReason},
    signed_token::GuestLinks,
    templates::{Channel, OccasionVars, Purpose, TemplateError},
};
use uuid::Uuid;

use super::{
    Message,
    batch::enqueue_email_batch,
    draft::{Draft, Drafter},
    rules::withheld_reasons,
    send_job,
    text::OwnText,
    thread::Thread,
};
use crate::{
    channel_settings,
    guests::{self, Guest},
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

/// Queues `send` in the caller's transaction: [`send_to_guests`] with one
/// send.
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
    send_batch(conn, tenant_id, std::slice::from_ref(send), links, thread)?
        .pop()
        .ok_or(SendError::Query(diesel::result::Error::NotFound))
}

/// Queues `sends` in the caller's transaction, one outcome per send in
/// order, with one query per rule for the whole batch: locks the guests (in
/// id order, so two concurrent sends cannot both pass the frequency cap; a
/// merged-away guest is sent to as the guest it was merged into), returns
/// the earlier message of a dedupe key used before (keys must differ within
/// a call), picks each address (e-mail, or the first E.164 phone) and
/// language (the guest's, else the tenant's default), renders the tenant's
/// template or the built-in one (or the caller's own text), and checks, in
/// order: an address, marketing consent on the channel for marketing
/// purposes, the suppression list and the cap (default 2 marketing messages
/// per 7 days, `channel_settings.marketing_cap{,_days}`). It inserts every
/// message (`queued`, or `suppressed` with the reason) and puts each on its
/// guest's timeline. Queued e-mails due now go out through one
/// `send_email_batch` job; SMS, and e-mail of own texts that ask for it,
/// wait for the guest's allowed hours on jobs of their own.
/// A marketing message gets its own signed unsubscribe link from `links`
/// (the short form on SMS): in `messages.unsubscribe_url` (an e-mail's
/// `List-Unsubscribe` header) and as the template's `extra.unsubscribe_url`
/// (the footer), replacing any given.
pub fn send_to_guests(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    sends: &[GuestMessage],
    links: &GuestLinks,
) -> Result<Vec<SendOutcome>, SendError> {
    send_batch(conn, tenant_id, sends, Some(links), &Thread::default())
}

fn send_batch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    sends: &[GuestMessage],
    links: Option<&GuestLinks>,
    thread: &Thread,
) -> Result<Vec<SendOutcome>, SendError> {
    if sends.is_empty() {
        return Ok(Vec::new());
    }
    let guests = lock_with_survivors(conn, tenant_id, sends)?;
    let keys: Vec<&str> = sends.iter().map(|s| s.dedupe_key.as_str()).collect();
    let mut earlier = find_by_dedupe_keys(conn, tenant_id, &keys)?;
    let tenant = tenants::get_tenant(conn, tenant_id)?;
    let settings = channel_settings::get_channel_settings(conn, tenant_id)?;
    let mut drafter = Drafter::new(&tenant, settings.as_ref(), links, thread);
    let mut drafts = Vec::new();
    for send in sends
        .iter()
        .filter(|s| !earlier.contains_key(&s.dedupe_key))
    {
        let guest = survivor(&guests, send.guest_id)?;
        drafts.push((send, drafter.draft(conn, send, guest)?));
    }
    let judged: Vec<&Draft> = drafts.iter().map(|(_, d)| d).collect();
    let reasons = withheld_reasons(conn, tenant_id, &judged, settings.as_ref())?;
    let mut rows = insert_messages(conn, &drafts, &reasons, thread)?;
    let mut entries = Vec::with_capacity(drafts.len());
    let mut fresh = HashMap::new();
    let mut email_now = Vec::new();
    for ((send, draft), reason) in drafts.iter().zip(&reasons) {
        let row = rows
            .remove(&draft.message.id)
            .ok_or(diesel::result::Error::NotFound)?;
        if reason.is_none() {
            if draft.channel == Channel::Email && draft.send_at.is_none() {
                email_now.push(row.id);
            } else {
                let key = format!("message:{}", row.id);
                guestcare_jobs::enqueue(conn, &send_job(&row, draft.send_at, key))?;
            }
        }
        entries.push((
            draft.guest_id,
            timeline_entry(&row, reason.is_some(), send.actor),
        ));
        let outcome = match reason {
            Some(reason) => SendOutcome::Withheld(row, *reason),
            None => SendOutcome::Queued(row),
        };
        fresh.insert(send.dedupe_key.as_str(), outcome);
    }
    enqueue_email_batch(conn, tenant_id, &email_now, None)?;
    timeline::record_many(conn, tenant_id, entries)?;
    sends
        .iter()
        .map(|send| {
            let outcome = match earlier.remove(&send.dedupe_key) {
                Some(first) => Some(SendOutcome::Repeated(first)),
                None => fresh.remove(send.dedupe_key.as_str()),
            };
            outcome.ok_or(SendError::Query(diesel::result::Error::NotFound))
        })
        .collect()
}

/// The sends' guests and the survivors of those merged away, locked.
fn lock_with_survivors(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    sends: &[GuestMessage],
) -> QueryResult<HashMap<Uuid, Guest>> {
    let ids: Vec<Uuid> = sends.iter().map(|s| s.guest_id).collect();
    let mut guests: HashMap<Uuid, Guest> = guests::lock_guests(conn, tenant_id, &ids)?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let survivors: Vec<Uuid> = guests
        .values()
        .filter_map(|g| g.merged_into)
        .filter(|id| !guests.contains_key(id))
        .collect();
    if !survivors.is_empty() {
        for guest in guests::lock_guests(conn, tenant_id, &survivors)? {
            guests.insert(guest.id, guest);
        }
    }
    Ok(guests)
}

/// The guest a send to `id` goes to: itself, or the guest it was merged into.
fn survivor(guests: &HashMap<Uuid, Guest>, id: Uuid) -> QueryResult<&Guest> {
    let guest = guests.get(&id).ok_or(diesel::result::Error::NotFound)?;
    match guest.merged_into {
        Some(into) => guests.get(&into).ok_or(diesel::result::Error::NotFound),
        None => Ok(guest),
    }
}

/// Inserts every draft in one statement, `queued` or `suppressed` with its
/// reason; the rows by id.
fn insert_messages(
    conn: &mut PgConnection,
    drafts: &[(&GuestMessage, Draft)],
    reasons: &[Option<WithheldReason>],
    thread: &Thread,
) -> QueryResult<HashMap<Uuid, Message>> {
    if drafts.is_empty() {
        return Ok(HashMap::new());
    }
    let values: Vec<_> = drafts
        .iter()
        .zip(reasons)
        .map(|((_, draft), reason)| {
            let status = match reason {
                Some(_) => MessageStatus::Suppressed,
                None => MessageStatus::Queued,
            };
            (
                &draft.message,
                messages::status.eq(status.as_str()),
                messages::suppression_reason.eq(reason.map(WithheldReason::as_str)),
                messages::from_name.eq(draft.from_name.as_deref()),
                messages::in_reply_to.eq(thread.in_reply_to.as_deref()),
            )
        })
        .collect();
    let rows: Vec<Message> = diesel::insert_into(messages::table)
        .values(values)
        .returning(Message::as_returning())
        .get_results(conn)?;
    Ok(rows.into_iter().map(|m| (m.id, m)).collect())
}

/// `message.queued` or `message.suppressed` on the guest's timeline.
fn timeline_entry(row: &Message, withheld: bool, actor: Actor) -> NewEntry {
    NewEntry {
        kind: if withheld {
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
        actor,
    }
}

/// The messages of the dedupe keys used before, by key.
fn find_by_dedupe_keys(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    keys: &[&str],
) -> QueryResult<HashMap<String, Message>> {
    let rows: Vec<(Option<String>, Message)> = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::dedupe_key.eq_any(keys))
        .select((messages::dedupe_key, Message::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, m)| Some((k?, m)))
        .collect())
}
