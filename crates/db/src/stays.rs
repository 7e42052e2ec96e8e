//! Stays: one visit of a guest each. Adding, changing or removing a stay
//! recomputes the guest's care period and writes the timeline.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use guestcare_domain::guest::StayDetails;
use serde::Serialize;
use uuid::Uuid;

use crate::{
    guests::refresh_care_period,
    new_id,
    schema::stays,
    timeline::{self, Actor, NewEntry},
};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = stays, check_for_backend(diesel::pg::Pg))]
pub struct Stay {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub guest_id: Uuid,
    pub property: Option<String>,
    pub check_in: NaiveDate,
    pub check_out: Option<NaiveDate>,
    pub room_type: Option<String>,
    pub party_size: Option<i16>,
    pub booking_channel: Option<String>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, AsChangeset, Insertable)]
#[diesel(table_name = stays, treat_none_as_null = true)]
struct StayFields<'a> {
    property: Option<&'a str>,
    check_in: NaiveDate,
    check_out: Option<NaiveDate>,
    room_type: Option<&'a str>,
    party_size: Option<i16>,
    booking_channel: Option<&'a str>,
    amount_minor: Option<i64>,
    currency: Option<&'a str>,
    notes: Option<&'a str>,
}

impl<'a> From<&'a StayDetails> for StayFields<'a> {
    fn from(stay: &'a StayDetails) -> Self {
        StayFields {
            property: stay.property.as_deref(),
            check_in: stay.check_in,
            check_out: stay.check_out,
            room_type: stay.room_type.as_deref(),
            party_size: stay.party_size,
            booking_channel: stay.booking_channel.as_deref(),
            amount_minor: stay.amount.as_ref().map(|m| m.minor),
            currency: stay.amount.as_ref().map(|m| m.currency.as_str()),
            notes: stay.notes.as_deref(),
        }
    }
}

/// The timeline summary of a stay: dates, property and room, no notes.
fn summary(stay: &Stay) -> serde_json::Value {
    serde_json::json!({
        "property": stay.property,
        "check_in": stay.check_in,
        "check_out": stay.check_out,
        "room_type": stay.room_type,
    })
}

fn occurred_at(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Adds a stay to the guest, extends its care period and puts the stay on
/// its timeline (at the check-in date).
pub fn add_stay(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    actor: Actor,
    details: &StayDetails,
) -> QueryResult<Stay> {
    let stay: Stay = diesel::insert_into(stays::table)
        .values((
            stays::id.eq(new_id()),
            stays::tenant_id.eq(tenant_id),
            stays::guest_id.eq(guest_id),
            StayFields::from(details),
        ))
        .returning(Stay::as_returning())
        .get_result(conn)?;
    refresh_care_period(conn, tenant_id, guest_id)?;
    timeline::record(
        conn,
        tenant_id,
        guest_id,
        NewEntry {
            kind: "stay",
            occurred_at: occurred_at(stay.check_in),
            summary: summary(&stay),
            ref_id: Some(stay.id),
            actor,
        },
    )?;
    Ok(stay)
}

/// Whether the guest already has a stay with these dates at this property
/// (an intake file imported twice).
pub fn has_same_stay(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    details: &StayDetails,
) -> QueryResult<bool> {
    let found: Vec<Stay> = list_stays(conn, tenant_id, guest_id)?;
    Ok(found.iter().any(|s| {
        s.check_in == details.check_in
            && s.check_out == details.check_out
            && s.property == details.property
    }))
}

/// Every stay of the guest, earliest check-in first.
pub fn list_stays(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<Vec<Stay>> {
    stays::table
        .filter(stays::tenant_id.eq(tenant_id))
        .filter(stays::guest_id.eq(guest_id))
        .select(Stay::as_select())
        .order((stays::check_in.asc(), stays::id.asc()))
        .load(conn)
}

pub fn get_stay(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    id: Uuid,
) -> QueryResult<Stay> {
    stays::table
        .filter(stays::tenant_id.eq(tenant_id))
        .filter(stays::guest_id.eq(guest_id))
        .find(id)
        .select(Stay::as_select())
        .first(conn)
}

/// Replaces every field of the stay and recomputes the care period.
pub fn update_stay(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    id: Uuid,
    details: &StayDetails,
) -> QueryResult<Stay> {
    let stay = diesel::update(
        stays::table
            .filter(stays::tenant_id.eq(tenant_id))
            .filter(stays::guest_id.eq(guest_id))
            .filter(stays::id.eq(id)),
    )
    .set((
        StayFields::from(details),
        stays::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Stay::as_returning())
    .get_result(conn)?;
    refresh_care_period(conn, tenant_id, guest_id)?;
    Ok(stay)
}

/// Removes the stay, recomputes the care period and notes the removal on
/// the timeline; `NotFound` if the guest has no such stay.
pub fn delete_stay(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    actor: Actor,
    id: Uuid,
) -> QueryResult<()> {
    let stay: Stay = diesel::delete(
        stays::table
            .filter(stays::tenant_id.eq(tenant_id))
            .filter(stays::guest_id.eq(guest_id))
            .filter(stays::id.eq(id)),
    )
    .returning(Stay::as_returning())
    .get_result(conn)?;
    refresh_care_period(conn, tenant_id, guest_id)?;
    timeline::record(
        conn,
        tenant_id,
        guest_id,
        NewEntry {
            kind: "stay.removed",
            occurred_at: Utc::now(),
            summary: summary(&stay),
            ref_id: Some(stay.id),
            actor,
        },
    )
    .map(drop)
}

/// Moves stays to another guest of the same tenant (merges and their
/// reversal); the caller refreshes both care periods.
pub fn move_stays(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    to_guest: Uuid,
) -> QueryResult<usize> {
    diesel::update(
        stays::table
            .filter(stays::tenant_id.eq(tenant_id))
            .filter(stays::id.eq_any(ids)),
    )
    .set(stays::guest_id.eq(to_guest))
    .execute(conn)
}
