//! Staff users of a tenant.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{Cursor, schema::users};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
}

/// Fields an owner may change on a user; `None` leaves a field as is. For
/// `disabled_at`, `Some(None)` re-enables the user.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    pub display_name: Option<&'a str>,
    pub role: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub disabled_at: Option<Option<DateTime<Utc>>>,
}

pub fn insert_user(conn: &mut PgConnection, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(User::as_returning())
        .get_result(conn)
}

pub fn get_user(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<User> {
    users::table
        .filter(users::tenant_id.eq(tenant_id))
        .find(id)
        .select(User::as_select())
        .first(conn)
}

/// The user with this e-mail (compared case-insensitively) in the tenant.
pub fn find_user_by_email(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    email: &str,
) -> QueryResult<Option<User>> {
    diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);
    users::table
        .filter(users::tenant_id.eq(tenant_id))
        .filter(lower(users::email).eq(email.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Up to `limit + 1` users after `cursor`, oldest first.
pub fn list_users(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table
        .filter(users::tenant_id.eq(tenant_id))
        .select(User::as_select())
        .order(users::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(users::id.gt(after));
    }
    query.load(conn)
}

pub fn update_user(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    changes: &UserChanges<'_>,
) -> QueryResult<User> {
    diesel::update(
        users::table
            .filter(users::tenant_id.eq(tenant_id))
            .filter(users::id.eq(id)),
    )
    .set((changes, users::updated_at.eq(diesel::dsl::now)))
    .returning(User::as_returning())
    .get_result(conn)
}

/// How many enabled owners the tenant has (the last one may not be demoted
/// or disabled).
pub fn count_active_owners(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<i64> {
    users::table
        .filter(users::tenant_id.eq(tenant_id))
        .filter(users::role.eq("owner"))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
}

/// The tenant's enabled owners: who is told about the tenant's integrations
/// (e.g. a webhook endpoint that was disabled).
pub fn list_active_owners(conn: &mut PgConnection, tenant_id: Uuid) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::tenant_id.eq(tenant_id))
        .filter(users::role.eq("owner"))
        .filter(users::disabled_at.is_null())
        .select(User::as_select())
        .order(users::id.asc())
        .load(conn)
}
