//! Surveys: questions in the tenant's languages, sent to a segment (or a
//! seeded sample of it) by e-mail with a personal link, answered on a
//! guest page or by reply, with results as JSON, CSV and SVG charts.

mod body;
mod results;
mod sends;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use guestcare_db::{new_id, surveys};
use guestcare_domain::{Permission, surveys::Definition};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{
    NewSendRequest, NewSurveyRequest, SampleRequest, SendView, SurveyUpdate, SurveyView,
};
pub use results::ResultsQuery;

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson, ValidQuery},
    idempotent::{self, Fingerprint},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_surveys)
        .service(create_survey)
        .service(get_survey)
        .service(update_survey)
        .service(delete_survey)
        .service(sends::create_send)
        .service(sends::list_sends)
        .service(results::survey_results)
        .service(results::survey_results_csv)
        .service(results::question_chart);
}

/// The tenant's surveys.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<SurveyView>))
)]
#[get("/surveys")]
async fn list_surveys(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(surveys::list_surveys(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    let views = rows
        .into_iter()
        .map(SurveyView::of)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(views, page, |s| s.id, |s| s)))
}

/// Creates a survey (manager). Bad titles, questions or options answer 422
/// with the path of each (`questions[1].options[0].zh-Hant`). Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    request_body = NewSurveyRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = SurveyView),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/surveys")]
async fn create_survey(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewSurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let definition = Definition::parse(request.title, request.questions)?;
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let row = surveys::insert_survey(
            conn,
            actor.tenant_id,
            new_id(),
            &definition,
            request.closes_at,
        )?;
        audit::record(conn, &actor, "survey.create", "survey", row.id)?;
        Ok((StatusCode::CREATED, SurveyView::of(row)?))
    })
    .await
}

/// One survey.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SurveyView), (status = 404, body = crate::error::Problem))
)]
#[get("/surveys/{id}")]
async fn get_survey(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(surveys::get_survey(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SurveyView::of(row)?))
}

/// Changes a survey (manager). Title and questions are fixed once it has
/// been sent (409 `survey_sent`); the closing date can always change.
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = SurveyUpdate,
    responses(
        (status = 200, body = SurveyView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/surveys/{id}")]
async fn update_survey(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<SurveyUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = surveys::get_survey(conn, auth.tenant_id, id)?;
        let mut definition = current.definition()?;
        if update.title.is_some() || update.questions.is_some() {
            if !surveys::send::list_sends(conn, auth.tenant_id, id)?.is_empty() {
                return Err(ApiError::Conflict {
                    code: "survey_sent",
                    detail:
                        "The survey has been sent: its title and questions can no longer change."
                            .to_owned(),
                });
            }
            definition = Definition::parse(
                update.title.unwrap_or(definition.title),
                update.questions.unwrap_or(definition.questions),
            )?;
        }
        let closes_at = update.closes_at.unwrap_or(current.closes_at);
        let row = surveys::update_survey(conn, auth.tenant_id, id, &definition, closes_at)?;
        audit::record(conn, &auth, "survey.update", "survey", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SurveyView::of(row)?))
}

/// Deletes a survey with its sends and responses (manager).
#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/surveys/{id}")]
async fn delete_survey(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        surveys::delete_survey,
        "survey.delete",
        "survey",
    )
    .await
}
