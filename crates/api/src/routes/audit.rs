//! Reading the audit log (owner and auditor).

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use guestcare_db::audit::{self, AuditEntry, AuditFilter};
use guestcare_domain::Permission;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    auth::Auth,
    db,
    error::ApiError,
    extract::ValidQuery,
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_log);
}

/// One audited read or change of personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: Uuid,
    /// `user`, `api_key` or `system`.
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    /// e.g. `guest.read`, `user.create`, `api_key.revoke`.
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub request_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        AuditEntryView {
            id: e.id,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            request_id: e.request_id,
            occurred_at: e.occurred_at,
        }
    }
}

/// Filters on the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor_id: Option<Uuid>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub action: Option<String>,
}

/// The audit log, newest first.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(PageQuery, AuditQuery),
    responses((status = 200, body = PageOf<AuditEntryView>), (status = 403, body = crate::error::Problem))
)]
#[get("/audit-log")]
async fn list_audit_log(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
    filter: ValidQuery<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::ReadAudit)?;
    let page = page.0.validate()?;
    let filter = filter.into_inner();
    let filter = AuditFilter {
        actor_id: filter.actor_id,
        object_type: filter.object_type,
        object_id: filter.object_id,
        action: filter.action,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(audit::list_audit_entries(
            conn,
            auth.tenant_id,
            &filter,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(
        rows,
        page,
        |e| e.id,
        AuditEntryView::from,
    )))
}
