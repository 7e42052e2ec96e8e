//! Dynamic segments: saved filters over guests (nationality, language,
//! tier, tags, age, birthday month, stays, spend, consent), evaluated in
//! SQL whenever they are read.

mod body;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use guestcare_db::{new_id, segments};
use guestcare_domain::{FieldError, Permission, segment::Filter};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{
    NewSegmentRequest, PreviewQuery, SampleGuestView, SegmentPreview, SegmentUpdate, SegmentView,
};

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
    cfg.service(list_segments)
        .service(create_segment)
        .service(get_segment)
        .service(update_segment)
        .service(delete_segment)
        .service(preview_segment);
}

/// The tenant's segments.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<SegmentView>))
)]
#[get("/segments")]
async fn list_segments(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(segments::list_segments(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |s| s.id, SegmentView::from)))
}

/// Saves a segment (manager). A bad filter answers 422 with the path of
/// each bad value (`filter.and[1].age.min`). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    request_body = NewSegmentRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = SegmentView),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/segments")]
async fn create_segment(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewSegmentRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let name = body::validate(&request.name, &request.filter)?;
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let fields = segments::SegmentFields {
            name: &name,
            filter: &request.filter,
        };
        let row = segments::insert_segment(conn, actor.tenant_id, new_id(), &fields)?;
        audit::record(conn, &actor, "segment.create", "segment", row.id)?;
        Ok((StatusCode::CREATED, SegmentView::from(row)))
    })
    .await
}

/// One segment.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SegmentView), (status = 404, body = crate::error::Problem))
)]
#[get("/segments/{id}")]
async fn get_segment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(segments::get_segment(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SegmentView::from(row)))
}

/// Renames a segment or replaces its filter (manager).
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = SegmentUpdate,
    responses(
        (status = 200, body = SegmentView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/segments/{id}")]
async fn update_segment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<SegmentUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = segments::get_segment(conn, auth.tenant_id, id)?;
        let name = update.name.unwrap_or(current.name);
        let filter = update.filter.unwrap_or(current.filter);
        let name = body::validate(&name, &filter)?;
        let fields = segments::SegmentFields {
            name: &name,
            filter: &filter,
        };
        let row = segments::update_segment(conn, auth.tenant_id, id, &fields)?;
        audit::record(conn, &auth, "segment.update", "segment", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SegmentView::from(row)))
}

/// Deletes a segment (manager).
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/segments/{id}")]
async fn delete_segment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        segments::delete_segment,
        "segment.delete",
        "segment",
    )
    .await
}

/// How many guests the segment selects now, and a sample of them.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), PreviewQuery),
    responses((status = 200, body = SegmentPreview), (status = 404, body = crate::error::Problem))
)]
#[get("/segments/{id}/preview")]
async fn preview_segment(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: ValidQuery<PreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let sample = query.into_inner().sample.unwrap_or(20);
    if !(0..=100).contains(&sample) {
        return Err(
            FieldError::new("out_of_range", "sample must be between 0 and 100.")
                .at("query.sample")
                .into(),
        );
    }
    let preview = db::transaction(&state.pool, move |conn| {
        let row = segments::get_segment(conn, auth.tenant_id, id)?;
        let filter = Filter::parse(&row.filter).map_err(ApiError::internal)?;
        let count = segments::count_segment(conn, auth.tenant_id, &filter)?;
        let guests = segments::sample_segment(conn, auth.tenant_id, &filter, sample)?;
        Ok(SegmentPreview {
            count,
            sample: guests.into_iter().map(SampleGuestView::from).collect(),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(preview))
}
