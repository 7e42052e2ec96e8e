//! `POST /v1/surveys/{id}/sends`: invite a segment (or a seeded sample of
//! it); `GET` lists the survey's sends.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Utc;
use guestcare_db::{
    DbError, segments,
    surveys::{self, NewSend},
};
use guestcare_domain::{FieldError, Permission};
use uuid::Uuid;

use super::body::{NewSendRequest, SendView};
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    state::AppState,
};

/// Sends the survey (manager): the segment's guests now, or a random
/// sample of `sample.size` of them chosen by `sample.seed` (the same seed
/// over the same guests picks the same guests). Each guest not yet invited
/// to this survey gets an e-mail through the usual message rules (marketing
/// consent, suppression list, frequency cap) with a personal signed link
/// and the reply form; a background job queues them. With
/// `remind_after_days`, those who have not answered by then are reminded
/// once. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewSendRequest,
    responses(
        (status = 201, body = SendView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/surveys/{id}/sends")]
pub(super) async fn create_send(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<NewSendRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    request.validate()?;
    let id = id.into_inner();
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let survey = surveys::get_survey(conn, actor.tenant_id, id)?;
        if !survey.is_open_at(Utc::now()) {
            return Err(ApiError::Conflict {
                code: "survey_closed",
                detail: "The survey has closed; change its closing date to send it again."
                    .to_owned(),
            });
        }
        match segments::get_segment(conn, actor.tenant_id, request.segment_id) {
            Err(DbError::NotFound) => {
                return Err(
                    FieldError::new("not_found", "The tenant has no such segment.")
                        .at("segment_id")
                        .into(),
                );
            }
            other => other?,
        };
        let new = NewSend {
            segment_id: request.segment_id,
            sample: request.sample.as_ref().map(|s| (s.size, s.seed)),
            remind_after_days: request.remind_after_days,
        };
        let send = surveys::create_send(conn, actor.tenant_id, &survey, &new)?;
        audit::record(conn, &actor, "survey.send", "survey", survey.id)?;
        Ok((StatusCode::CREATED, SendView::from(send)))
    })
    .await
}

/// The survey's sends, oldest first.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SendView>), (status = 404, body = crate::error::Problem))
)]
#[get("/surveys/{id}/sends")]
pub(super) async fn list_sends(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let sends = db::run(&state.pool, move |conn| {
        surveys::get_survey(conn, auth.tenant_id, id)?;
        Ok(surveys::send::list_sends(conn, auth.tenant_id, id)?)
    })
    .await?;
    let views: Vec<SendView> = sends.into_iter().map(SendView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}
