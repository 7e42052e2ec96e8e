//! Satisfaction: after a ticket is resolved (72 h by default), the guest
//! gets an e-mail with a signed link (`/s/{token}`); the public page records
//! one rating per ticket. A `poor` rating opens a follow-up care task for a
//! manager.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    care::tasks::TaskKind,
    signed_token::{GuestLinks, satisfaction::Satisfaction},
    templates::{Channel, Purpose},
    tickets::{Rating, TicketStatus},
};
use guestcare_jobs::{NewJob, enqueue};
use uuid::Uuid;

use super::{
    EntryKind, NewTicketEntry, Ticket, events::announce, get_ticket, insert_entry, lock_ticket,
};
use crate::{
    messages::{GuestMessage, Message, SendError, send_to_guest},
    schema::{ticket_ratings, users},
    tasks::{self, NewTask},
    timeline::Actor,
};

/// Job kind that sends a resolved ticket's satisfaction e-mail
/// (`{"tenant_id", "ticket_id"}`).
pub const SEND_SATISFACTION: &str = "ticket_satisfaction";

/// Enqueues the satisfaction e-mail of `ticket`'s current round for `at`
/// (once per round: the dedupe key names it).
pub(super) fn arm_satisfaction(
    conn: &mut PgConnection,
    ticket: &Ticket,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    let job = NewJob::new(
        "default",
        SEND_SATISFACTION,
        serde_json::json!({ "tenant_id": ticket.tenant_id, "ticket_id": ticket.id }),
    )
    .with_tenant(ticket.tenant_id)
    .with_run_at(at)
    .with_dedupe_key(format!(
        "ticket_satisfaction:{}:{}",
        ticket.id, ticket.round
    ));
    enqueue(conn, &job)?;
    Ok(())
}

/// Sends the satisfaction e-mail if the ticket is still resolved or closed,
/// has a guest and no rating yet; once per ticket (dedupe key
/// `ticket:{id}:satisfaction`), in the caller's transaction.
pub fn send_satisfaction(
    conn: &mut PgConnection,
    links: &GuestLinks,
    tenant_id: Uuid,
    ticket_id: Uuid,
) -> Result<Option<Message>, SendError> {
    let ticket = get_ticket(conn, tenant_id, ticket_id)?;
    let done = matches!(
        ticket.status(),
        TicketStatus::Resolved | TicketStatus::Closed
    );
    let (Some(guest_id), true, None) = (
        ticket.guest_id,
        done,
        get_rating(conn, tenant_id, ticket.id)?,
    ) else {
        return Ok(None);
    };
    let url = links.satisfaction_url(&Satisfaction {
        tenant_id,
        ticket_id: ticket.id,
    });
    let send = GuestMessage {
        guest_id,
        channel: Channel::Email,
        purpose: Purpose::SatisfactionSurvey,
        extra: BTreeMap::from([
            ("survey_url".to_owned(), url.into()),
            (
                "ticket_number".to_owned(),
                ticket.number().to_string().into(),
            ),
        ]),
        occasion: None,
        text: Default::default(),
        dedupe_key: format!("ticket:{}:satisfaction", ticket.id),
        actor: Actor::SYSTEM,
    };
    let message = send_to_guest(conn, tenant_id, &send, links)?
        .message()
        .clone();
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry {
            message_id: Some(message.id),
            ..NewTicketEntry::fact(
                EntryKind::Satisfaction,
                serde_json::json!({ "sent": message.status }),
                Actor::SYSTEM,
            )
        },
    )?;
    Ok(Some(message))
}

/// A stored rating.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_ratings, check_for_backend(diesel::pg::Pg))]
pub struct TicketRating {
    pub ticket_id: Uuid,
    pub tenant_id: Uuid,
    pub rating: String,
    pub comment: Option<String>,
    /// The agent assigned when the rating was given.
    pub agent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub fn get_rating(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
) -> QueryResult<Option<TicketRating>> {
    ticket_ratings::table
        .filter(ticket_ratings::tenant_id.eq(tenant_id))
        .filter(ticket_ratings::ticket_id.eq(ticket_id))
        .select(TicketRating::as_select())
        .first(conn)
        .optional()
}

/// Records the guest's rating of the ticket, once: `None` if it was rated
/// before (nothing changes). Credits the assigned agent, writes a
/// `satisfaction` entry, `ticket.updated` and `ticket.rated` on the guest's
/// timeline; `poor` opens a follow-up care task (occurrence key
/// `ticket:{id}:poor_rating`) for the tenant's first manager (else owner).
pub fn record_rating(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    rating: Rating,
    comment: Option<&str>,
) -> QueryResult<Option<TicketRating>> {
    let ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    let stored: Option<TicketRating> = diesel::insert_into(ticket_ratings::table)
        .values((
            ticket_ratings::ticket_id.eq(ticket.id),
            ticket_ratings::tenant_id.eq(tenant_id),
            ticket_ratings::rating.eq(rating.as_str()),
            ticket_ratings::comment.eq(comment),
            ticket_ratings::agent_id.eq(ticket.assignee_id),
        ))
        .on_conflict_do_nothing()
        .returning(TicketRating::as_returning())
        .get_result(conn)
        .optional()?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    let actor = ticket.guest_id.map_or(Actor::SYSTEM, Actor::guest);
    let change = serde_json::json!({ "rating": rating.as_str(), "agent_id": ticket.assignee_id });
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry {
            body_text: comment,
            ..NewTicketEntry::fact(EntryKind::Satisfaction, change.clone(), actor)
        },
    )?;
    announce(
        conn,
        &ticket,
        "ticket.updated",
        "ticket.rated",
        serde_json::json!({ "satisfaction": change }),
        actor,
    )?;
    if let (Rating::Poor, Some(guest_id)) = (rating, ticket.guest_id) {
        let manager = manager_of(conn, tenant_id)?;
        tasks::create_task(
            conn,
            tenant_id,
            &NewTask {
                kind: TaskKind::FollowUp,
                guest_id,
                due_on: Utc::now().date_naive(),
                assignee_id: manager,
                title: format!("Poor satisfaction rating on {}", ticket.number()),
                script: comment.map(str::to_owned),
                context: serde_json::json!({ "ticket_id": ticket.id, "number": ticket.number().to_string() }),
                source: "ticket".to_owned(),
                occurrence_key: Some(format!("ticket:{}:poor_rating", ticket.id)),
                actor,
            },
        )?;
    }
    Ok(Some(stored))
}

/// The tenant's first active manager, else its first active owner.
fn manager_of(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<Option<Uuid>> {
    users::table
        .filter(users::tenant_id.eq(tenant_id))
        .filter(users::role.eq_any(["manager", "owner"]))
        .filter(users::disabled_at.is_null())
        .order((users::role.eq("owner"), users::id))
        .select(users::id)
        .first(conn)
        .optional()
}
