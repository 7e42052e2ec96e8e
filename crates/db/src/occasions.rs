//! A tenant's own yearly occasions, listed with the built-in holiday
//! calendars. Names are stored in NFC; the date rule is `kind` (`solar` or
//! `lunar`), `month`, `day`, and for lunar rules `leap` and `lunar_calendar`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{Cursor, schema::occasions};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = occasions, check_for_backend(diesel::pg::Pg))]
pub struct Occasion {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
    pub name_zh_hant: String,
    pub kind: String,
    pub month: i16,
    pub day: i16,
    pub leap: bool,
    pub lunar_calendar: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields of an occasion that staff set: all of them on insert; on
/// update every field is replaced.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = occasions, treat_none_as_null = true)]
pub struct OccasionFields<'a> {
    pub key: &'a str,
    pub name_vi: &'a str,
    pub name_en: &'a str,
    pub name_zh_hant: &'a str,
    pub kind: &'a str,
    pub month: i16,
    pub day: i16,
    pub leap: bool,
    pub lunar_calendar: Option<&'a str>,
    pub active: bool,
}

pub fn insert_occasion(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &OccasionFields<'_>,
) -> QueryResult<Occasion> {
    diesel::insert_into(occasions::table)
        .values((
            occasions::id.eq(id),
            occasions::tenant_id.eq(tenant_id),
            fields,
        ))
        .returning(Occasion::as_returning())
        .get_result(conn)
}

pub fn get_occasion(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Occasion> {
    occasions::table
        .filter(occasions::tenant_id.eq(tenant_id))
        .find(id)
        .select(Occasion::as_select())
        .first(conn)
}

/// Up to `limit + 1` occasions after `cursor`, oldest first.
pub fn list_occasions(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Occasion>> {
    let mut query = occasions::table
        .filter(occasions::tenant_id.eq(tenant_id))
        .select(Occasion::as_select())
        .order(occasions::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(occasions::id.gt(after));
    }
    query.load(conn)
}

/// Every active occasion of the tenant, by key: what its holiday calendar
/// shows and greets on.
pub fn list_active_occasions(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> QueryResult<Vec<Occasion>> {
    occasions::table
        .filter(occasions::tenant_id.eq(tenant_id))
        .filter(occasions::active.eq(true))
        .select(Occasion::as_select())
        .order(occasions::key.asc())
        .load(conn)
}

pub fn update_occasion(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &OccasionFields<'_>,
) -> QueryResult<Occasion> {
    diesel::update(
        occasions::table
            .filter(occasions::tenant_id.eq(tenant_id))
            .filter(occasions::id.eq(id)),
    )
    .set((fields, occasions::updated_at.eq(diesel::dsl::now)))
    .returning(Occasion::as_returning())
    .get_result(conn)
}

/// Deletes the occasion; `NotFound` if the tenant has no such occasion.
pub fn delete_occasion(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        occasions::table
            .filter(occasions::tenant_id.eq(tenant_id))
            .filter(occasions::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// A stored occasion as the holiday calendars see it (`tenant.<key>`).
/// Stored rows were validated on save; an error means the row was changed
/// behind the API's back.
pub fn to_domain(
    row: &Occasion,
) -> Result<guestcare_domain::holidays::Occasion, guestcare_domain::ValidationErrors> {
    use guestcare_domain::holidays::custom;
    let rule = custom::RuleParts {
        kind: &row.kind,
        month: row.month.into(),
        day: row.day.into(),
        leap: row.leap,
        calendar: row.lunar_calendar.as_deref(),
    }
    .validate()?;
    let names = custom::parse_names(&row.name_vi, &row.name_en, &row.name_zh_hant)?;
    Ok(custom::tenant_occasion(&row.key, names, rule))
}
