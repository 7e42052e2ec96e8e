//! Greeting rules: which occasion greets which guests (all, domestic,
//! international, a segment), on which channel, at which local hour. The
//! text is the tenant's `holiday_greeting` template for the channel in the
//! guest's language (else the built-in one), rendered with the occasion's
//! name in that language.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{Cursor, schema::greeting_rules};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = greeting_rules, check_for_backend(diesel::pg::Pg))]
pub struct GreetingRule {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// A built-in occasion key (`vn.tet`) or `tenant.<key>`.
    pub occasion_key: String,
    /// `all`, `domestic`, `international` or `segment`.
    pub audience: String,
    pub segment_id: Option<Uuid>,
    /// `email` or `sms`.
    pub channel: String,
    /// The tenant-local hour the greeting goes out (0–23).
    pub send_hour: i16,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every field staff set; on update all are replaced.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = greeting_rules, treat_none_as_null = true)]
pub struct GreetingRuleFields {
    pub occasion_key: String,
    pub audience: String,
    pub segment_id: Option<Uuid>,
    pub channel: String,
    pub send_hour: i16,
    pub active: bool,
}

pub fn insert_greeting_rule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &GreetingRuleFields,
) -> QueryResult<GreetingRule> {
    diesel::insert_into(greeting_rules::table)
        .values((
            greeting_rules::id.eq(id),
            greeting_rules::tenant_id.eq(tenant_id),
            fields,
        ))
        .returning(GreetingRule::as_returning())
        .get_result(conn)
}

pub fn get_greeting_rule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<GreetingRule> {
    greeting_rules::table
        .filter(greeting_rules::tenant_id.eq(tenant_id))
        .find(id)
        .select(GreetingRule::as_select())
        .first(conn)
}

/// Up to `limit + 1` rules after `cursor` (all of them with `limit` large),
/// by id.
pub fn list_greeting_rules(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<GreetingRule>> {
    let mut query = greeting_rules::table
        .filter(greeting_rules::tenant_id.eq(tenant_id))
        .select(GreetingRule::as_select())
        .order(greeting_rules::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(greeting_rules::id.gt(after));
    }
    query.load(conn)
}

/// The active rules, or those that go out at `hour` (tenant time).
pub(super) fn active_rules(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    hour: Option<i16>,
) -> QueryResult<Vec<GreetingRule>> {
    let mut query = greeting_rules::table
        .filter(greeting_rules::tenant_id.eq(tenant_id))
        .filter(greeting_rules::active.eq(true))
        .select(GreetingRule::as_select())
        .order(greeting_rules::id.asc())
        .into_boxed();
    if let Some(hour) = hour {
        query = query.filter(greeting_rules::send_hour.eq(hour));
    }
    query.load(conn)
}

pub fn update_greeting_rule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &GreetingRuleFields,
) -> QueryResult<GreetingRule> {
    diesel::update(
        greeting_rules::table
            .filter(greeting_rules::tenant_id.eq(tenant_id))
            .filter(greeting_rules::id.eq(id)),
    )
    .set((fields, greeting_rules::updated_at.eq(diesel::dsl::now)))
    .returning(GreetingRule::as_returning())
    .get_result(conn)
}

/// Deletes the rule; `NotFound` if the tenant has no such rule.
pub fn delete_greeting_rule(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        greeting_rules::table
            .filter(greeting_rules::tenant_id.eq(tenant_id))
            .filter(greeting_rules::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}
