//! Tenants: the hotels, resorts and B&Bs that use guestcare.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::tenants;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg))]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2; guests of this nationality are domestic.
    pub country: String,
    pub default_language: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub default_language: &'a str,
    pub time_zone: &'a str,
}

/// Fields of a tenant that its owner may change; `None` leaves a field as is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tenants)]
pub struct TenantChanges<'a> {
    pub name: Option<&'a str>,
    pub country: Option<&'a str>,
    pub default_language: Option<&'a str>,
    pub time_zone: Option<&'a str>,
}

pub fn insert_tenant(conn: &mut PgConnection, new: &NewTenant<'_>) -> QueryResult<Tenant> {
    diesel::insert_into(tenants::table)
        .values(new)
        .returning(Tenant::as_returning())
        .get_result(conn)
}

pub fn get_tenant(conn: &mut PgConnection, id: Uuid) -> QueryResult<Tenant> {
    tenants::table
        .find(id)
        .select(Tenant::as_select())
        .first(conn)
}

pub fn find_tenant_by_slug(conn: &mut PgConnection, slug: &str) -> QueryResult<Option<Tenant>> {
    tenants::table
        .filter(tenants::slug.eq(slug))
        .select(Tenant::as_select())
        .first(conn)
        .optional()
}

/// Applies `changes` to the tenant and returns it as stored.
pub fn update_tenant(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &TenantChanges<'_>,
) -> QueryResult<Tenant> {
    diesel::update(tenants::table.find(id))
        .set((changes, tenants::updated_at.eq(diesel::dsl::now)))
        .returning(Tenant::as_returning())
        .get_result(conn)
}
