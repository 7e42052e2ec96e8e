//! Erasure on a guest's request: personal data wiped, statistics kept.
//!
//! Wiped: name, national ID, birth date, addresses, hometown, phones,
//! e-mails, chat handles, occupation, workplace, emergency contact, time
//! zone, needs, notes and tags; stay notes; notes and profile changes on the
//! timeline; care tasks' titles, scripts, context and outcome notes (and
//! their timeline entries); free-text survey answers and e-mail remarks
//! (and the `survey.answered` entries); consent notes; the snapshots of merges involving the guest
//! and the profiles kept by intake merges (which can then no longer be
//! reverted); the cells of rejected intake rows that mention the guest
//! (uploaded files themselves are dropped when their import ends). Kept,
//! anonymous: the code,
//! gender, nationality, language, source, tier, care period, the stays'
//! dates, property, room, party size, channel and amount, and the consent
//! and tier histories (who changed what, when), survey choices and ratings.

use diesel::prelude::*;
use uuid::Uuid;

use super::{Guest, GuestFields, GuestKeys};
use crate::schema::{consent_events, guest_merges, guests, stays, timeline_entries};

/// Timeline kinds whose summaries hold personal data: removed on erasure.
const PERSONAL_KINDS: [&str; 6] = [
    "note",
    "survey.answered",
    "guest.updated",
    "task.created",
    "task.outcome",
    "task.closed",
];

/// Erases the guest's personal data (see the module doc). Idempotent.
pub fn erase_guest(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<Guest> {
    let guest = super::lock_guest(conn, tenant_id, id)?;
    forget_rejected_rows(conn, tenant_id, &mentions_of(keys, &guest)?)?;
    let wiped = GuestFields {
        full_name: String::new(),
        name_folded: String::new(),
        national_id_sealed: None,
        national_id_digest: None,
        birth_date: None,
        gender: guest.gender.clone(),
        hometown: None,
        permanent_address: None,
        current_address: None,
        phones: Vec::new(),
        email: None,
        relay_emails: Vec::new(),
        chat_handles: serde_json::Value::Array(Vec::new()),
        occupation: None,
        workplace: None,
        emergency_contact: None,
        nationality: guest.nationality.clone(),
        language: guest.language.clone(),
        time_zone: None,
        source: guest.source.clone(),
        needs: None,
        notes: None,
        tags: Vec::new(),
    };
    let filter = guests::table
        .filter(guests::tenant_id.eq(tenant_id))
        .filter(guests::id.eq(id));
    diesel::update(filter)
        .set((
            &wiped,
            guests::erased_at.eq(guest.erased_at.unwrap_or_else(chrono::Utc::now)),
            guests::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    diesel::update(
        stays::table
            .filter(stays::tenant_id.eq(tenant_id))
            .filter(stays::guest_id.eq(id)),
    )
    .set(stays::notes.eq(None::<String>))
    .execute(conn)?;
    diesel::update(
        consent_events::table
            .filter(consent_events::tenant_id.eq(tenant_id))
            .filter(consent_events::guest_id.eq(id)),
    )
    .set(consent_events::note.eq(None::<String>))
    .execute(conn)?;
    crate::tasks::erase_guest_tasks(conn, tenant_id, id)?;
    crate::surveys::respond::erase_guest_answers(conn, tenant_id, id)?;
    let entries = timeline_entries::table
        .filter(timeline_entries::tenant_id.eq(tenant_id))
        .filter(timeline_entries::guest_id.eq(id));
    diesel::delete(entries.filter(timeline_entries::kind.eq_any(PERSONAL_KINDS))).execute(conn)?;
    diesel::update(entries.filter(timeline_entries::kind.eq("guest.merged")))
        .set(timeline_entries::summary.eq(serde_json::json!({})))
        .execute(conn)?;
    diesel::update(
        guest_merges::table
            .filter(guest_merges::tenant_id.eq(tenant_id))
            .filter(
                guest_merges::target_id
                    .eq(id)
                    .or(guest_merges::source_id.eq(id)),
            ),
    )
    .set((
        guest_merges::target_before.eq(serde_json::json!({})),
        guest_merges::changes.eq(serde_json::json!([])),
    ))
    .execute(conn)?;
    super::get_guest(conn, tenant_id, id)
}

/// What identifies the guest in a rejected row's cells as written: the
/// name, e-mail and document number as text, and the phones' last nine
/// digits (however the row spaced or prefixed them).
#[derive(Debug, Default)]
struct Mentions {
    texts: Vec<String>,
    digits: Vec<String>,
}

fn mentions_of(keys: &GuestKeys, guest: &Guest) -> QueryResult<Mentions> {
    let mut mentions = Mentions::default();
    // A name of one or two letters would match unrelated rows.
    if guest.full_name.chars().count() >= 3 {
        mentions.texts.push(guest.full_name.to_lowercase());
    }
    mentions
        .texts
        .extend(guest.email.iter().map(|e| e.to_lowercase()));
    if let Some(document) = keys.open_national_id(guest)? {
        mentions.texts.push(document.number().to_lowercase());
    }
    for phone in guest.phones.iter().flatten() {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let tail = digits.len().saturating_sub(9);
        mentions.digits.push(digits[tail..].to_owned());
    }
    Ok(mentions)
}

/// Clears the cells of the tenant's rejected intake rows that mention the
/// guest; the row number, column and reason stay for the error report.
fn forget_rejected_rows(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    mentions: &Mentions,
) -> QueryResult<usize> {
    use diesel::sql_types::{Array, Text, Uuid as SqlUuid};
    if mentions.texts.is_empty() && mentions.digits.is_empty() {
        return Ok(0);
    }
    diesel::sql_query(
        "UPDATE import_rows SET raw = NULL \
         WHERE tenant_id = $1 AND outcome = 'rejected' AND raw IS NOT NULL \
           AND (EXISTS (SELECT 1 FROM unnest($2::text[]) AS t(needle) \
                        WHERE strpos(lower(raw::text), needle) > 0) \
             OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS d(needle) \
                        WHERE strpos(regexp_replace(raw::text, '[^0-9]', '', 'g'), needle) > 0))",
    )
    .bind::<SqlUuid, _>(tenant_id)
    .bind::<Array<Text>, _>(&mentions.texts)
    .bind::<Array<Text>, _>(&mentions.digits)
    .execute(conn)
}
