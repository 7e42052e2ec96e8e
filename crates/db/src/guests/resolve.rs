//! Identity resolution: the one function that turns an intake record into a
//! guest, used by the API (`POST /v1/guests/intake`) and the daily import.

use chrono::Utc;
use diesel::prelude::*;
use guestcare_domain::guest::{Change, GuestProfile, IntakeRecord, Outcome, Prefer};
use uuid::Uuid;

use super::{
    Guest, GuestFields, GuestKeys,
    events::{self, UpdatedVia},
    insert_guest, merge, profile_of, update_guest,
};
use crate::{
    new_id,
    schema::guests,
    stays,
    timeline::{self, Actor, NewEntry},
};

/// What [`resolve_intake`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub guest_id: Uuid,
    pub outcome: Outcome,
    /// The stay added, if the record had one that the guest did not have yet.
    pub stay_id: Option<Uuid>,
    /// For `Merged`: the merge record, which `merge::revert_merge` undoes.
    pub merge_id: Option<Uuid>,
}

diesel::define_sql_function!(
    /// SQL `lower(text)`.
    fn lower(text: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>);

/// Live guests only: not merged away, not erased.
fn live(tenant_id: Uuid) -> guests::BoxedQuery<'static, diesel::pg::Pg> {
    guests::table
        .filter(guests::tenant_id.eq(tenant_id))
        .filter(guests::merged_into.is_null())
        .filter(guests::erased_at.is_null())
        .into_boxed()
}

/// The known guest the profile belongs to: same national ID number, else
/// same e-mail (relay addresses never count), else one of the same phone
/// numbers with the same birth date. Several matches: the oldest guest.
pub fn find_same_guest(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    profile: &GuestProfile,
) -> QueryResult<Option<Guest>> {
    // Matches are few, so the oldest is picked here: with `ORDER BY id
    // LIMIT 1` Postgres walks the primary key instead of the lookup's index,
    // a scan of the tenant's guests for every guest not yet known.
    let first = |query: guests::BoxedQuery<'static, diesel::pg::Pg>, conn: &mut PgConnection| {
        let matches: Vec<Guest> = query.select(Guest::as_select()).load(conn)?;
        QueryResult::Ok(matches.into_iter().min_by_key(|guest| guest.id))
    };
    if let Some(id) = &profile.national_id {
        let digest = keys.digest(tenant_id, id.number());
        let query = live(tenant_id).filter(guests::national_id_digest.eq(digest));
        if let Some(guest) = first(query, conn)? {
            return Ok(Some(guest));
        }
    }
    if let Some(email) = &profile.email {
        let query = live(tenant_id).filter(lower(guests::email).eq(email.canonical()));
        if let Some(guest) = first(query, conn)? {
            return Ok(Some(guest));
        }
    }
    if let (Some(birth_date), false) = (profile.birth_date, profile.phones.is_empty()) {
        let phones: Vec<Option<String>> =
            profile.phones.iter().map(|p| Some(p.to_string())).collect();
        let query = live(tenant_id)
            .filter(guests::birth_date.eq(birth_date))
            .filter(guests::phones.overlaps_with(phones));
        return first(query, conn);
    }
    Ok(None)
}

/// Resolves an intake record into the guest registry, inside the caller's
/// transaction:
///
/// - finds the known guest ([`find_same_guest`]);
/// - if there is one, folds the profile into it (newer non-empty values
///   win, lists are joined, conflicts are put on the timeline as
///   `guest.updated` with the replaced values), adds the stay unless the
///   guest already has one with the same dates and property, and answers
///   `Merged`, or `Unchanged` when nothing was new;
/// - else creates the guest (and its stay): `Created`.
///
/// Running it twice on the same record changes nothing the second time.
/// Intakes of one tenant are serialised (a transaction-scoped advisory
/// lock), so two arrivals of the same new person at once create one guest.
pub fn resolve_intake(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    actor: Actor,
    record: &IntakeRecord,
) -> QueryResult<Resolution> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<diesel::sql_types::Text, _>(format!("guestcare.intake.{tenant_id}"))
        .execute(conn)?;
    let Some(known) = find_same_guest(conn, keys, tenant_id, &record.profile)? else {
        let guest = create_guest(conn, keys, tenant_id, actor, &record.profile)?;
        let stay_id = match &record.stay {
            Some(stay) => Some(stays::add_stay(conn, tenant_id, guest.id, actor, stay)?.id),
            None => None,
        };
        return Ok(Resolution {
            guest_id: guest.id,
            outcome: Outcome::Created,
            stay_id,
            merge_id: None,
        });
    };
    let known = super::lock_guest(conn, tenant_id, known.id)?;
    let mut profile = profile_of(keys, &known)?;
    let changes = profile.absorb(&record.profile, Prefer::Incoming);
    if !changes.is_empty() {
        let fields = GuestFields::from_profile(keys, tenant_id, known.id, &profile);
        update_guest(conn, tenant_id, known.id, &fields)?;
    }
    let mut stay_id = None;
    if let Some(stay) = &record.stay
        && !stays::has_same_stay(conn, tenant_id, known.id, stay)?
    {
        stay_id = Some(stays::add_stay(conn, tenant_id, known.id, actor, stay)?.id);
    }
    if changes.is_empty() && stay_id.is_none() {
        return Ok(Resolution {
            guest_id: known.id,
            outcome: Outcome::Unchanged,
            stay_id: None,
            merge_id: None,
        });
    }
    let conflicts = changes
        .iter()
        .filter(|c| matches!(c.change, Change::Replaced { .. }))
        .count();
    let changes = serde_json::to_value(&changes).map_err(merge::json_error)?;
    let merge = merge::intake::record_intake_merge(
        conn,
        keys,
        actor,
        &known,
        &record.profile,
        &changes,
        stay_id,
    )?;
    if changes.as_array().is_some_and(|c| !c.is_empty()) {
        timeline::record(
            conn,
            tenant_id,
            known.id,
            NewEntry {
                kind: "guest.updated",
                occurred_at: Utc::now(),
                summary: serde_json::json!({ "via": "intake", "changes": changes, "conflicts": conflicts }),
                ref_id: Some(merge.id),
                actor,
            },
        )?;
    }
    events::emit_updated(conn, &known, UpdatedVia::Intake, Some(merge.id))?;
    Ok(Resolution {
        guest_id: known.id,
        outcome: Outcome::Merged,
        stay_id,
        merge_id: Some(merge.id),
    })
}

/// Creates a guest from a profile, with a `guest.created` timeline entry
/// and webhook event.
pub fn create_guest(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    actor: Actor,
    profile: &GuestProfile,
) -> QueryResult<Guest> {
    let id = new_id();
    let guest = insert_guest(
        conn,
        tenant_id,
        id,
        &GuestFields::from_profile(keys, tenant_id, id, profile),
    )?;
    timeline::record(
        conn,
        tenant_id,
        id,
        NewEntry {
            kind: "guest.created",
            occurred_at: guest.created_at,
            summary: serde_json::json!({ "source": guest.source }),
            ref_id: None,
            actor,
        },
    )?;
    events::emit_created(conn, &guest)?;
    Ok(guest)
}
