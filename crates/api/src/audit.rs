//! Writing audit entries for reads and changes of personal data.

use diesel::PgConnection;
use guestcare_db::{
    audit::{NewAuditEntry, insert_audit_entry},
    new_id,
};

use crate::{auth::Auth, error::ApiError};

/// Records that the caller did `action` (e.g. `user.create`, `guest.read`)
/// on the object. Call it inside the handler's transaction so the entry and
/// the change commit together.
pub fn record(
    conn: &mut PgConnection,
    auth: &Auth,
    action: &str,
    object_type: &str,
    object_id: impl ToString,
) -> Result<(), ApiError> {
    insert_audit_entry(
        conn,
        &NewAuditEntry {
            id: new_id(),
            tenant_id: auth.tenant_id,
            actor_type: auth.actor.kind(),
            actor_id: Some(auth.actor.id()),
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            request_id: Some(&auth.request_id)
                .filter(|id| !id.is_empty())
                .map(String::as_str),
        },
    )?;
    Ok(())
}
