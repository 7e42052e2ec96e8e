//! API keys and login sessions: the bearer credentials of the API.
//!
//! Only SHA-256 digests of the secrets are stored; lookups are by digest.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{dsl::now, prelude::*};
use uuid::Uuid;

use crate::{
    Cursor,
    schema::{api_keys, sessions, users},
};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_keys, check_for_backend(diesel::pg::Pg))]
pub struct ApiKey {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub prefix: String,
    pub role: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a [u8],
    pub role: &'a str,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub token_hash: &'a [u8],
    pub expires_at: DateTime<Utc>,
}

/// Who a valid bearer credential belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub tenant_id: Uuid,
    pub kind: PrincipalKind,
    pub role: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A staff user, through session `session_id`.
    User { user_id: Uuid, session_id: Uuid },
    /// An integration's API key.
    ApiKey { key_id: Uuid },
}

pub fn insert_api_key(conn: &mut PgConnection, new: &NewApiKey<'_>) -> QueryResult<ApiKey> {
    diesel::insert_into(api_keys::table)
        .values(new)
        .returning(ApiKey::as_returning())
        .get_result(conn)
}

/// Up to `limit + 1` of the tenant's keys after `cursor`, oldest first.
pub fn list_api_keys(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<ApiKey>> {
    let mut query = api_keys::table
        .filter(api_keys::tenant_id.eq(tenant_id))
        .select(ApiKey::as_select())
        .order(api_keys::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(api_keys::id.gt(after));
    }
    query.load(conn)
}

pub fn get_api_key(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<ApiKey> {
    api_keys::table
        .filter(api_keys::tenant_id.eq(tenant_id))
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
}

/// Revokes the key; revoking an already revoked key keeps the first time.
pub fn revoke_api_key(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<ApiKey> {
    diesel::update(
        api_keys::table
            .filter(api_keys::tenant_id.eq(tenant_id))
            .filter(api_keys::id.eq(id)),
    )
    .set(api_keys::revoked_at.eq(diesel::dsl::sql::<
        diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
    >("coalesce(revoked_at, now())")))
    .returning(ApiKey::as_returning())
    .get_result(conn)
}

/// The principal of a live API key with this secret digest, marking the key
/// used (at most once a minute, to keep reads cheap).
pub fn find_api_key_principal(
    conn: &mut PgConnection,
    secret_hash: &[u8],
) -> QueryResult<Option<Principal>> {
    let found: Option<(Uuid, Uuid, String)> = api_keys::table
        .filter(api_keys::secret_hash.eq(secret_hash))
        .filter(api_keys::revoked_at.is_null())
        .select((api_keys::id, api_keys::tenant_id, api_keys::role))
        .first(conn)
        .optional()?;
    let Some((key_id, tenant_id, role)) = found else {
        return Ok(None);
    };
    diesel::update(api_keys::table.find(key_id))
        .filter(
            api_keys::last_used_at
                .is_null()
                .or(api_keys::last_used_at.lt(Utc::now() - TimeDelta::minutes(1))),
        )
        .set(api_keys::last_used_at.eq(now))
        .execute(conn)?;
    Ok(Some(Principal {
        tenant_id,
        kind: PrincipalKind::ApiKey { key_id },
        role,
    }))
}

pub fn insert_session(conn: &mut PgConnection, new: &NewSession<'_>) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values(new)
        .execute(conn)
}

/// The principal of an unexpired, unrevoked session of an enabled user.
pub fn find_session_principal(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<Principal>> {
    let found: Option<(Uuid, Uuid, Uuid, String)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(users::disabled_at.is_null())
        .select((sessions::id, sessions::tenant_id, users::id, users::role))
        .first(conn)
        .optional()?;
    Ok(
        found.map(|(session_id, tenant_id, user_id, role)| Principal {
            tenant_id,
            kind: PrincipalKind::User {
                user_id,
                session_id,
            },
            role,
        }),
    )
}

pub fn revoke_session(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::tenant_id.eq(tenant_id))
            .filter(sessions::id.eq(id)),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)
}

/// Ends every session of a user (on disable or password change).
pub fn revoke_user_sessions(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)
}
