//! Joining two guests by hand, and undoing it.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::guests::merge::{self, GuestMerge};
use guestcare_domain::{FieldError, Permission};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{GuestContext, GuestView, actor, live_guest, redact_national_ids};
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    state::AppState,
};

/// Two guests to join.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The guest that remains; its values win where both differ.
    pub target_id: Uuid,
    /// The duplicate folded into the target (kept, with `merged_into` set).
    pub source_id: Uuid,
}

/// A merge record.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeView {
    pub id: Uuid,
    /// `manual` (two guests joined by hand) or `intake` (an arrival folded
    /// into a known guest by identity resolution).
    pub kind: String,
    pub target_id: Uuid,
    /// The merged-away guest; for an `intake` merge, set once reverted: the
    /// guest created from the arrival.
    pub source_id: Option<Uuid>,
    /// The fields the target got (`filled`) or kept against the source's
    /// value (`kept`), and the lists it joined (`extended`).
    #[schema(value_type = Vec<Object>)]
    pub changes: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub reverted_at: Option<DateTime<Utc>>,
}

/// The merge and both guests as they are now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeResult {
    pub merge: MergeView,
    pub target: GuestView,
    pub source: Option<GuestView>,
}

fn result(
    conn: &mut diesel::PgConnection,
    context: &GuestContext,
    merge: GuestMerge,
) -> Result<MergeResult, ApiError> {
    let target = guestcare_db::guests::get_guest(conn, merge.tenant_id, merge.target_id)?;
    let source = merge
        .source_id
        .map(|id| guestcare_db::guests::get_guest(conn, merge.tenant_id, id))
        .transpose()?;
    Ok(MergeResult {
        merge: MergeView {
            id: merge.id,
            kind: merge.kind,
            target_id: merge.target_id,
            source_id: merge.source_id,
            changes: merge.changes,
            created_at: merge.created_at,
            reverted_at: merge.reverted_at,
        },
        target: context.view(target)?,
        source: source.map(|s| context.view(s)).transpose()?,
    })
}

/// Folds a duplicate guest into another: empty fields of the target are
/// filled from the source, lists joined, and the source's stays, consent
/// and tier history and timeline move to the target. Reversible with
/// `POST /v1/guests/merges/{id}/revert`. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    request_body = MergeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = MergeResult),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/guests/merges")]
pub(super) async fn merge_guests(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    if request.target_id == request.source_id {
        return Err(ApiError::Validation(
            FieldError::new("same_guest", "A guest cannot be merged into itself.")
                .at("source_id")
                .into(),
        ));
    }
    let keys = GuestContext::keys(&state);
    let caller = auth.clone();
    let work = move |conn: &mut diesel::PgConnection| {
        let context = GuestContext::load(conn, keys, &caller)?;
        live_guest(conn, &caller, request.target_id)?;
        live_guest(conn, &caller, request.source_id)?;
        let merge = merge::merge_guests(
            conn,
            &context.keys,
            caller.tenant_id,
            actor(&caller),
            request.target_id,
            request.source_id,
        )?;
        audit::record(conn, &caller, "guest.merge", "guest_merge", merge.id)?;
        Ok((StatusCode::CREATED, result(conn, &context, merge)?))
    };
    idempotent::respond_redacted(&state, &auth, key, fingerprint, work, redact_national_ids).await
}

/// Undoes a merge from its record: the target's profile as it was before
/// the merge (later edits to it are undone too), the moved stays and
/// histories back to the source, the source live again. For an `intake`
/// merge (its id is in the intake's answer and on the `guest.updated`
/// timeline entry), the arrival becomes a guest of its own with the stay
/// it brought. 409 if it was
/// already reverted, if a later merge of either guest must be reverted
/// first, or if either guest was erased since.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = MergeResult),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
    )
)]
#[post("/guests/merges/{id}/revert")]
pub(super) async fn revert_merge(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let keys = GuestContext::keys(&state);
    let view = db::transaction(&state.pool, move |conn| {
        let context = GuestContext::load(conn, keys, &auth)?;
        let record = merge::get_merge(conn, auth.tenant_id, id)?;
        let conflict = |code, detail: &str| ApiError::Conflict {
            code,
            detail: detail.to_owned(),
        };
        if record.reverted_at.is_some() {
            return Err(conflict(
                "merge_reverted",
                "This merge was already reverted.",
            ));
        }
        if merge::has_later_merge(conn, &record)? {
            return Err(conflict(
                "later_merge",
                "A later merge involves one of these guests; revert it first.",
            ));
        }
        if record
            .target_before
            .as_object()
            .is_none_or(|o| o.is_empty())
        {
            return Err(conflict(
                "merge_not_reversible",
                "One of these guests was erased; the merge can no longer be reverted.",
            ));
        }
        let reverted = merge::revert_merge(conn, &context.keys, actor(&auth), &record)?;
        audit::record(conn, &auth, "guest.merge_revert", "guest_merge", id)?;
        result(conn, &context, reverted)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
