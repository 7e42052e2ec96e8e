//! The audit log: who read or changed personal data, and when.
//!
//! Entries name the actor, the action and the object, never the data.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{Cursor, schema::audit_log};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub request_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// `user`, `api_key` or `system`.
    pub actor_type: &'a str,
    pub actor_id: Option<Uuid>,
    /// A verb such as `guest.read`, `guest.update`, `api_key.create`.
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<String>,
    pub request_id: Option<&'a str>,
}

/// Filters for [`list_audit_entries`]; `None` matches everything.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub action: Option<String>,
}

pub fn insert_audit_entry(conn: &mut PgConnection, entry: &NewAuditEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(conn)
        .map(drop)
}

/// Up to `limit + 1` entries before `cursor`, newest first.
pub fn list_audit_entries(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &AuditFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .filter(audit_log::tenant_id.eq(tenant_id))
        .select(AuditEntry::as_select())
        .order(audit_log::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(audit_log::id.lt(before));
    }
    if let Some(actor_id) = filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(actor_id));
    }
    if let Some(object_type) = &filter.object_type {
        query = query.filter(audit_log::object_type.eq(object_type.clone()));
    }
    if let Some(object_id) = &filter.object_id {
        query = query.filter(audit_log::object_id.eq(object_id.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    query.load(conn)
}
