//! Writing audit entries for reads and changes of personal data.

use actix_web::HttpResponse;
use diesel::{PgConnection, QueryResult};
use guestcare_db::{
    audit::{NewAuditEntry, insert_audit_entry},
    new_id,
};
use guestcare_domain::Permission;
use uuid::Uuid;

use crate::{auth::Auth, db, error::ApiError, state::AppState};

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

/// A tenant object's delete function: `(conn, tenant_id, id)`.
pub type DeleteFn = fn(&mut PgConnection, Uuid, Uuid) -> QueryResult<()>;

/// The body of a manager's `DELETE` of one of the tenant's objects: runs
/// `delete` and records `action` on (`object_type`, id) in one
/// transaction, then answers 204 (404 when there is no such object, 409
/// when others still refer to it).
pub async fn delete_audited(
    state: &AppState,
    auth: Auth,
    id: Uuid,
    delete: DeleteFn,
    action: &'static str,
    object_type: &'static str,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    db::transaction(&state.pool, move |conn| {
        delete(conn, auth.tenant_id, id)?;
        record(conn, &auth, action, object_type, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
