//! Dated facts about a guest that reminders count from (a membership,
//! contract or voucher expiry): one date per guest and kind. Renewing sets
//! a new date, which ends the old date's reminder schedule and starts the
//! new one's. A merge moves the dates the surviving guest lacks to it, and
//! its revert moves them back.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{pg::upsert::excluded, prelude::*};
use uuid::Uuid;

use crate::{
    schema::guest_dates,
    timeline::{self, Actor, NewEntry},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = guest_dates, check_for_backend(diesel::pg::Pg))]
pub struct GuestDate {
    pub guest_id: Uuid,
    pub kind: String,
    pub date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The guest's dates, by kind. The caller has checked the guest is the
/// tenant's.
pub fn list_guest_dates(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<Vec<GuestDate>> {
    guest_dates::table
        .filter(guest_dates::tenant_id.eq(tenant_id))
        .filter(guest_dates::guest_id.eq(guest_id))
        .select(GuestDate::as_select())
        .order(guest_dates::kind.asc())
        .load(conn)
}

/// Sets the guest's date of `kind` (inserting or replacing it) and puts the
/// change on the timeline (`guest_date.set`, with the previous date).
pub fn set_guest_date(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    kind: &str,
    date: NaiveDate,
    actor: Actor,
) -> QueryResult<GuestDate> {
    let previous = guest_dates::table
        .filter(guest_dates::tenant_id.eq(tenant_id))
        .filter(guest_dates::guest_id.eq(guest_id))
        .filter(guest_dates::kind.eq(kind))
        .select(guest_dates::date)
        .for_update()
        .first::<NaiveDate>(conn)
        .optional()?;
    let row = diesel::insert_into(guest_dates::table)
        .values((
            guest_dates::tenant_id.eq(tenant_id),
            guest_dates::guest_id.eq(guest_id),
            guest_dates::kind.eq(kind),
            guest_dates::date.eq(date),
        ))
        .on_conflict((guest_dates::guest_id, guest_dates::kind))
        .do_update()
        .set((
            guest_dates::date.eq(excluded(guest_dates::date)),
            guest_dates::updated_at.eq(diesel::dsl::now),
        ))
        .returning(GuestDate::as_returning())
        .get_result(conn)?;
    if previous != Some(date) {
        timeline::record(
            conn,
            tenant_id,
            guest_id,
            NewEntry {
                kind: "guest_date.set",
                occurred_at: row.updated_at,
                summary: serde_json::json!({ "kind": kind, "date": date, "previous": previous }),
                ref_id: None,
                actor,
            },
        )?;
    }
    Ok(row)
}

/// Removes the guest's date of `kind`; `NotFound` if it has none.
pub fn delete_guest_date(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    kind: &str,
) -> QueryResult<()> {
    let deleted = diesel::delete(
        guest_dates::table
            .filter(guest_dates::tenant_id.eq(tenant_id))
            .filter(guest_dates::guest_id.eq(guest_id))
            .filter(guest_dates::kind.eq(kind)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// Moves the dates of `from` whose kind `to` lacks over to `to` (a merge:
/// the surviving guest keeps its own dates). Returns the kinds moved.
pub fn move_missing_dates(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    from: Uuid,
    to: Uuid,
) -> QueryResult<Vec<String>> {
    let theirs: Vec<String> = guest_dates::table
        .filter(guest_dates::tenant_id.eq(tenant_id))
        .filter(guest_dates::guest_id.eq(to))
        .select(guest_dates::kind)
        .load(conn)?;
    let kinds: Vec<String> = guest_dates::table
        .filter(guest_dates::tenant_id.eq(tenant_id))
        .filter(guest_dates::guest_id.eq(from))
        .filter(guest_dates::kind.ne_all(theirs))
        .select(guest_dates::kind)
        .load(conn)?;
    move_dates(conn, tenant_id, &kinds, from, to)?;
    Ok(kinds)
}

/// Moves `from`'s dates of these kinds to `to` (a merge's revert).
pub fn move_dates(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    kinds: &[String],
    from: Uuid,
    to: Uuid,
) -> QueryResult<()> {
    diesel::update(
        guest_dates::table
            .filter(guest_dates::tenant_id.eq(tenant_id))
            .filter(guest_dates::guest_id.eq(from))
            .filter(guest_dates::kind.eq_any(kinds)),
    )
    .set(guest_dates::guest_id.eq(to))
    .execute(conn)
    .map(drop)
}
