//! Seeing a campaign before guests do: a preview rendered for a chosen
//! guest (or a sample guest) in each language, and a test send of every
//! variant to staff addresses.

use actix_web::{HttpResponse, get, post, web};
use guestcare_db::{
    campaigns::{self, Campaign},
    guests,
    messages::{self, NewMessage, guest_vars},
    new_id, tenants,
};
use guestcare_domain::{
    Email, FieldError, Language, Permission, ValidationErrors,
    campaigns::Variants,
    channels::Category,
    templates::{self, Context, Purpose, Rendered, TenantVars, cid_references},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{ValidJson, ValidQuery},
    state::AppState,
};

/// The most staff addresses one test send may go to.
const MAX_TEST_ADDRESSES: usize = 10;

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(preview_campaign).service(test_campaign);
}

/// `?guest_id=&language=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// Render for this guest (default: a sample guest per language).
    pub guest_id: Option<Uuid>,
    /// Only this language (default: every variant).
    pub language: Option<Language>,
}

/// One language's rendered text.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewView {
    pub language: Language,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// Every variant (or one) as the chosen guest would read it.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), PreviewQuery),
    responses((status = 200, body = Vec<PreviewView>), (status = 404, body = crate::error::Problem))
)]
#[get("/campaigns/{id}/preview")]
async fn preview_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: ValidQuery<PreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let query = query.into_inner();
    let views = db::run(&state.pool, move |conn| {
        let campaign = campaigns::get_campaign(conn, auth.tenant_id, id)?;
        let guest = match query.guest_id {
            Some(g) => Some(
                guests::get_guest(conn, auth.tenant_id, g).map_err(|e| match e {
                    guestcare_db::DbError::NotFound => {
                        ApiError::field("query.guest_id", "unknown_guest", "No such guest.")
                    }
                    e => e.into(),
                })?,
            ),
            None => None,
        };
        let tenant = tenants::get_tenant(conn, auth.tenant_id)?;
        let mut views = Vec::new();
        for (language, content) in variants_of(&campaign, query.language) {
            let mut context = Context::sample(Purpose::Promotion, language);
            context.tenant = TenantVars {
                name: tenant.name.clone(),
                ..TenantVars::default()
            };
            if let Some(guest) = &guest {
                context.guest = Some(guest_vars(guest, language));
            }
            views.push(render(&content, language, &context)?);
        }
        Ok(views)
    })
    .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// The variants to show: all, or the one of `only`.
fn variants_of(campaign: &Campaign, only: Option<Language>) -> Vec<(Language, templates::Content)> {
    let variants: Variants = serde_json::from_value(campaign.variants.clone()).unwrap_or_default();
    variants
        .into_iter()
        .filter(|(l, _)| only.is_none_or(|o| o == *l))
        .map(|(l, v)| (l, v.content()))
        .collect()
}

fn render(
    content: &templates::Content,
    language: Language,
    context: &Context,
) -> Result<PreviewView, ApiError> {
    match templates::render(content, language, context) {
        Ok(Rendered::Email(mail)) => Ok(PreviewView {
            language,
            subject: mail.subject,
            html: mail.html,
            text: mail.text,
        }),
        Ok(Rendered::Sms { .. }) => Err(ApiError::internal(FieldError::new(
            "not_email",
            "A campaign variant rendered as SMS.",
        ))),
        Err(e) => Err(ApiError::Unprocessable {
            code: "render_failed",
            detail: format!("The {} variant does not render: {e:?}", language.as_str()),
        }),
    }
}

/// Staff addresses for a test send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSendRequest {
    /// 1–10 addresses.
    pub to: Vec<String>,
    /// Only this language (default: every variant).
    pub language: Option<Language>,
}

/// Queues every variant (or one), rendered for a sample guest, to each
/// staff address (manager): subjects start with `[TEST]`, no unsubscribe
/// header, no guest and no campaign counts touched. Answers the message
/// ids (see `/v1/messages/{id}`).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = TestSendRequest,
    responses(
        (status = 202, body = Vec<Uuid>),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/campaigns/{id}/test")]
async fn test_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<TestSendRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let request = body.into_inner();
    let mut errors = ValidationErrors::new();
    if request.to.is_empty() || request.to.len() > MAX_TEST_ADDRESSES {
        errors.push(
            FieldError::new(
                "invalid_length",
                format!("List 1–{MAX_TEST_ADDRESSES} addresses."),
            )
            .at("to"),
        );
    }
    let addresses: Vec<Email> = request
        .to
        .iter()
        .enumerate()
        .filter_map(|(i, a)| errors.check(&format!("to[{i}]"), a.parse::<Email>()))
        .collect();
    errors.finish(|| ())?;
    let ids = db::transaction(&state.pool, move |conn| {
        let campaign = campaigns::get_campaign(conn, auth.tenant_id, id)?;
        let tenant = tenants::get_tenant(conn, auth.tenant_id)?;
        let mut ids = Vec::new();
        for (language, content) in variants_of(&campaign, request.language) {
            let mut context = Context::sample(Purpose::Promotion, language);
            context.tenant.name.clone_from(&tenant.name);
            let view = render(&content, language, &context)?;
            let cids = cid_references(&view.html).unwrap_or_default();
            let parts = campaigns::image_parts(conn, auth.tenant_id, &cids)?;
            for address in &addresses {
                let message = NewMessage {
                    id: new_id(),
                    tenant_id: auth.tenant_id,
                    guest_id: None,
                    channel: "email".to_owned(),
                    purpose: Purpose::Promotion.as_str().to_owned(),
                    category: Category::Service.as_str().to_owned(),
                    template_key: Some(format!("campaign:{}/{}", campaign.id, language.as_str())),
                    language: Some(language.as_str().to_owned()),
                    recipient: address.as_str().to_owned(),
                    time_zone: None,
                    subject: Some(format!("[TEST] {}", view.subject)),
                    body_text: view.text.clone(),
                    body_html: Some(view.html.clone()),
                    unsubscribe_url: None,
                    parts_of: None,
                    dedupe_key: None,
                };
                ids.push(messages::queue_message(conn, &message, &parts, None)?.id);
            }
        }
        audit::record(conn, &auth, "campaign.test", "campaign", campaign.id)?;
        Ok(ids)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(ids))
}
