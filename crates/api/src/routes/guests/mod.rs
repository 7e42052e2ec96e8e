//! The guest registry: profiles, search, intake with identity resolution,
//! stays, consent, tiers, the timeline, export, erasure and merges.
//!
//! Every handler runs in one transaction: a validation error (422, with the
//! field's path) rolls everything back, so nothing is ever half-saved.

mod consents;
mod dates;
mod intake;
mod merges;
mod privacy;
mod stays;
mod tier;
mod timeline;
mod view;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, patch, post, web};
use guestcare_db::{
    guests::{self, GuestFields, resolve},
    timeline::Actor,
};
use guestcare_domain::{Permission, guest::ProfileInput};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use view::{GuestContext, GuestView, redact_national_ids};

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
    cfg.service(list_guests)
        .service(create_guest)
        .service(intake::intake)
        .service(merges::merge_guests)
        .service(merges::revert_merge)
        .service(get_guest)
        .service(update_guest);
    stays::configure(cfg);
    consents::configure(cfg);
    dates::configure(cfg);
    tier::configure(cfg);
    timeline::configure(cfg);
    privacy::configure(cfg);
}

/// The actor of a request, for timelines and histories.
pub(crate) fn actor(auth: &Auth) -> Actor {
    Actor {
        kind: auth.actor.kind(),
        id: Some(auth.actor.id()),
    }
}

/// The guest locked for a change: 404 if the tenant has no such guest, 409
/// if it was erased or merged into another.
pub(crate) fn live_guest(
    conn: &mut diesel::PgConnection,
    auth: &Auth,
    id: Uuid,
) -> Result<guests::Guest, ApiError> {
    let guest = guests::lock_guest(conn, auth.tenant_id, id)?;
    if guest.erased_at.is_some() || guest.merged_into.is_some() {
        return Err(ApiError::Conflict {
            code: "guest_not_live",
            detail: "This guest was erased or merged into another and cannot be changed."
                .to_owned(),
        });
    }
    Ok(guest)
}

/// Search over live guests (not merged away, not erased).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuestQuery {
    /// A name in any case, with or without diacritics (`nguyen van a`), a
    /// guest code (`G-000123`), a phone number in any format, an e-mail
    /// address or a national ID number.
    pub q: Option<String>,
}

/// Lists guests, newest first, or searches them with `q`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(PageQuery, GuestQuery),
    responses((status = 200, body = PageOf<GuestView>))
)]
#[get("/guests")]
async fn list_guests(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
    query: ValidQuery<GuestQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = page.0.validate()?;
    let q = query.into_inner().q;
    let keys = GuestContext::keys(&state);
    let body = db::run(&state.pool, move |conn| {
        let context = GuestContext::load(conn, keys, &auth)?;
        let rows = guests::search::search_guests(
            conn,
            &context.keys,
            auth.tenant_id,
            context.country,
            q.as_deref(),
            page.cursor,
            page.limit,
        )?;
        let page = PageOf::from_rows(rows, page, |g| g.id, |g| context.view(g));
        let items = page.items.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(PageOf {
            items,
            next_cursor: page.next_cursor,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Creates a guest as given (to find or merge an existing one first, use
/// `POST /v1/guests/intake`). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    request_body = ProfileInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = GuestView), (status = 422, body = crate::error::Problem))
)]
#[post("/guests")]
async fn create_guest(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<ProfileInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let input = body.into_inner();
    let keys = GuestContext::keys(&state);
    let caller = auth.clone();
    let work = move |conn: &mut diesel::PgConnection| {
        let context = GuestContext::load(conn, keys, &caller)?;
        let profile = input.parse(context.country)?;
        let guest = resolve::create_guest(
            conn,
            &context.keys,
            caller.tenant_id,
            actor(&caller),
            &profile,
        )?;
        audit::record(conn, &caller, "guest.create", "guest", guest.id)?;
        Ok((StatusCode::CREATED, context.view(guest)?))
    };
    idempotent::respond_redacted(&state, &auth, key, fingerprint, work, redact_national_ids).await
}

/// One guest (merged-away and erased guests too, with `merged_into` or
/// `erased_at` set). The read is audited.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = GuestView), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}")]
async fn get_guest(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let keys = GuestContext::keys(&state);
    let view = db::transaction(&state.pool, move |conn| {
        let context = GuestContext::load(conn, keys, &auth)?;
        let guest = guests::get_guest(conn, auth.tenant_id, id)?;
        audit::record(conn, &auth, "guest.read", "guest", id)?;
        context.view(guest)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Changes a guest's profile: fields present replace the stored ones
/// (absent or `null` stay; a blank text clears a field, `[]` a list). The
/// whole result is validated; on any error nothing changes.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ProfileInput,
    responses(
        (status = 200, body = GuestView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/guests/{id}")]
async fn update_guest(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ProfileInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let patch = body.into_inner();
    let keys = GuestContext::keys(&state);
    let view = db::transaction(&state.pool, move |conn| {
        let context = GuestContext::load(conn, keys, &auth)?;
        let current = live_guest(conn, &auth, id)?;
        let stored = guests::profile_of(&context.keys, &current)?;
        let mut profile = ProfileInput::from(&stored)
            .overlay(patch)
            .parse(context.country)?;
        // Relay addresses are kept: a patch can only add one (as `email`).
        let mut relays = stored.relay_emails.clone();
        for relay in profile.relay_emails.drain(..) {
            if !relays.contains(&relay) {
                relays.push(relay);
            }
        }
        profile.relay_emails = relays;
        let fields = GuestFields::from_profile(&context.keys, auth.tenant_id, id, &profile);
        let guest = guests::update_guest(conn, auth.tenant_id, id, &fields)?;
        if profile != stored {
            guests::events::emit_updated(conn, &guest, guests::events::UpdatedVia::Edit, None)?;
        }
        audit::record(conn, &auth, "guest.update", "guest", id)?;
        context.view(guest)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
