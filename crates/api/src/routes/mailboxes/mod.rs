//! Mailboxes: the IMAP folders the worker polls for guests' mail
//! (feedback, support, survey replies), and what became of each message
//! fetched. Managers configure them; the password is sealed before it is
//! stored and never returned.

mod body;
mod messages;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use guestcare_db::{mailboxes, new_id};
use guestcare_domain::{Permission, channels::purposes, inbound::secret_context, sealed::Sealer};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{MailboxBody, MailboxView};
pub use messages::{InboundQuery, InboundView};

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
    cfg.service(list_mailboxes)
        .service(create_mailbox)
        .service(get_mailbox)
        .service(update_mailbox)
        .service(delete_mailbox)
        .service(messages::list_inbound);
}

fn seal(state: &AppState, tenant_id: Uuid, id: Uuid, password: &str) -> Vec<u8> {
    Sealer::new(
        &state.settings.security.master_key(),
        purposes::IMAP_PASSWORD,
    )
    .seal(password.as_bytes(), &secret_context(tenant_id, id))
}

/// Lists the tenant's mailboxes (manager).
#[utoipa::path(
    tag = "mailboxes",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<MailboxView>))
)]
#[get("/mailboxes")]
async fn list_mailboxes(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(mailboxes::list_mailboxes(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |m| m.id, MailboxView::from)))
}

/// Adds a mailbox (manager) and starts polling it. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "mailboxes",
    security(("bearer" = [])),
    request_body = MailboxBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = MailboxView),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/mailboxes")]
async fn create_mailbox(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<MailboxBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let fields = request.validate(None)?;
    let id = new_id();
    let sealed = seal(
        &state,
        auth.tenant_id,
        id,
        request.password.as_deref().unwrap_or_default(),
    );
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let row = mailboxes::insert_mailbox(conn, actor.tenant_id, id, &fields, &sealed)?;
        audit::record(conn, &actor, "mailbox.create", "mailbox", row.id)?;
        Ok((StatusCode::CREATED, MailboxView::from(row)))
    })
    .await
}

/// One mailbox, with its cursor and the last poll's error.
#[utoipa::path(
    tag = "mailboxes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MailboxView), (status = 404, body = crate::error::Problem))
)]
#[get("/mailboxes/{id}")]
async fn get_mailbox(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(mailboxes::get_mailbox(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MailboxView::from(row)))
}

/// Changes a mailbox (manager); absent fields keep their value, an absent
/// password keeps the stored one. A new server, account or folder restarts
/// the cursor (Message-IDs keep messages from being ingested twice).
#[utoipa::path(
    tag = "mailboxes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = MailboxBody,
    responses(
        (status = 200, body = MailboxView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/mailboxes/{id}")]
async fn update_mailbox(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<MailboxBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let request = body.into_inner();
    let sealed = request
        .password
        .as_deref()
        .map(|p| seal(&state, auth.tenant_id, id, p));
    let row = db::transaction(&state.pool, move |conn| {
        let current = mailboxes::get_mailbox(conn, auth.tenant_id, id)?;
        let fields = request.validate(Some(&current))?;
        let row = mailboxes::update_mailbox(conn, auth.tenant_id, id, &fields, sealed)?;
        audit::record(conn, &auth, "mailbox.update", "mailbox", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MailboxView::from(row)))
}

/// Deletes a mailbox and its schedule (manager); messages already
/// ingested, and their tickets, stay.
#[utoipa::path(
    tag = "mailboxes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/mailboxes/{id}")]
async fn delete_mailbox(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        mailboxes::delete_mailbox,
        "mailbox.delete",
        "mailbox",
    )
    .await
}
