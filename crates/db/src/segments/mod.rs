//! Dynamic segments: saved filters, and the guests a filter selects.
//!
//! [`segment_guest_ids`] is what campaigns and surveys call: one SQL query
//! compiled from the filter ([`compile`]), never a scan in Rust.

mod compile;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::{pg::Pg, prelude::*, query_builder::BoxedSqlQuery, sql_types};
use guestcare_domain::segment::Filter;
use uuid::Uuid;

pub use compile::{Bind, Compiled, EFFECTIVE_LANGUAGE, compile};

use crate::{Cursor, schema::segments};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = segments, check_for_backend(diesel::pg::Pg))]
pub struct Segment {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub filter: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What staff set on a segment; on update both are replaced.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = segments)]
pub struct SegmentFields<'a> {
    pub name: &'a str,
    pub filter: &'a serde_json::Value,
}

pub fn insert_segment(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &SegmentFields<'_>,
) -> QueryResult<Segment> {
    diesel::insert_into(segments::table)
        .values((
            segments::id.eq(id),
            segments::tenant_id.eq(tenant_id),
            fields,
        ))
        .returning(Segment::as_returning())
        .get_result(conn)
}

pub fn get_segment(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Segment> {
    segments::table
        .filter(segments::tenant_id.eq(tenant_id))
        .find(id)
        .select(Segment::as_select())
        .first(conn)
}

/// Up to `limit + 1` segments after `cursor`, oldest first.
pub fn list_segments(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Segment>> {
    let mut query = segments::table
        .filter(segments::tenant_id.eq(tenant_id))
        .select(Segment::as_select())
        .order(segments::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(segments::id.gt(after));
    }
    query.load(conn)
}

pub fn update_segment(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &SegmentFields<'_>,
) -> QueryResult<Segment> {
    diesel::update(
        segments::table
            .filter(segments::tenant_id.eq(tenant_id))
            .find(id),
    )
    .set((fields, segments::updated_at.eq(diesel::dsl::now)))
    .returning(Segment::as_returning())
    .get_result(conn)
}

/// Deletes the segment; `NotFound` if the tenant has no such segment.
pub fn delete_segment(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        segments::table
            .filter(segments::tenant_id.eq(tenant_id))
            .find(id),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// The ids of the tenant's live guests the filter selects, in id order.
pub fn segment_guest_ids(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &Filter,
) -> QueryResult<Vec<Uuid>> {
    segment_guest_ids_on(conn, tenant_id, filter, today())
}

/// [`segment_guest_ids`] with ages and dates counted at `today` (the day an
/// automation runs for).
pub fn segment_guest_ids_on(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &Filter,
    today: NaiveDate,
) -> QueryResult<Vec<Uuid>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
    }
    let c = compile(tenant_id, filter, today);
    let sql = format!("SELECT id FROM ({}) AS segment ORDER BY id", c.sql);
    let rows: Vec<Id> = bound(&sql, c.binds).load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// How many guests the filter selects.
pub fn count_segment(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &Filter,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    let c = compile(tenant_id, filter, today());
    let sql = format!("SELECT count(*) AS n FROM ({}) AS segment", c.sql);
    Ok(bound(&sql, c.binds).get_result::<Count>(conn)?.n)
}

/// A guest as a segment preview shows it.
#[derive(Debug, Clone, QueryableByName)]
pub struct SampleGuest {
    #[diesel(sql_type = sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = sql_types::BigInt)]
    pub code: i64,
    #[diesel(sql_type = sql_types::Text)]
    pub full_name: String,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub nationality: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    pub tier: Option<String>,
}

/// Up to `limit` of the selected guests, by id.
pub fn sample_segment(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &Filter,
    limit: i64,
) -> QueryResult<Vec<SampleGuest>> {
    let c = compile(tenant_id, filter, today());
    let mut binds = c.binds;
    binds.push(Bind::BigInt(limit));
    let sql = format!(
        "SELECT g.id, g.code, g.full_name, g.nationality, g.tier FROM guests g \
         WHERE g.tenant_id = $1 AND g.id IN ({}) ORDER BY g.id LIMIT ${}",
        c.sql,
        binds.len()
    );
    bound(&sql, binds).load(conn)
}

/// Ages are counted at today's date (UTC).
fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `sql` with its parameters bound in order.
pub(crate) fn bound(
    sql: &str,
    binds: Vec<Bind>,
) -> BoxedSqlQuery<'static, Pg, diesel::query_builder::SqlQuery> {
    let mut query = diesel::sql_query(sql.to_owned()).into_boxed::<Pg>();
    for bind in binds {
        query = match bind {
            Bind::Uuid(v) => query.bind::<sql_types::Uuid, _>(v),
            Bind::Text(v) => query.bind::<sql_types::Text, _>(v),
            Bind::Texts(v) => query.bind::<sql_types::Array<sql_types::Text>, _>(v),
            Bind::Ints(v) => query.bind::<sql_types::Array<sql_types::Integer>, _>(v),
            Bind::Uuids(v) => query.bind::<sql_types::Array<sql_types::Uuid>, _>(v),
            Bind::BigInt(v) => query.bind::<sql_types::BigInt, _>(v),
            Bind::Float(v) => query.bind::<sql_types::Double, _>(v),
            Bind::Date(v) => query.bind::<sql_types::Date, _>(v),
        };
    }
    query
}
