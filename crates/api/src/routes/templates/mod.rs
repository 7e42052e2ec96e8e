//! Message templates: the tenant's own texts per purpose, channel and
//! language, the built-in texts that apply where it has none, and previews.

mod body;
mod choose;
mod preview;

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{DateTime, Utc};
use guestcare_db::{assets, new_id, templates};
use guestcare_domain::{
    FieldError, Language, Permission, ValidationErrors,
    templates::{Channel, Purpose, builtin, validate},
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{Kind, TemplateParts, TemplateSource, TemplateView, content_of};
pub(crate) use choose::check_extra;
pub use preview::{OccasionBody, PreviewGuest, PreviewRequest, PreviewResponse, SmsPreview};

use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(preview::preview_template)
        .service(get_default_template)
        .service(get_template)
        .service(put_template)
        .service(delete_template);
}

type KindPath = web::Path<(String, String, String)>;

/// One purpose, channel and language, and which text applies to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateSummary {
    pub purpose: Purpose,
    pub channel: Channel,
    #[schema(value_type = String, example = "zh-Hant")]
    pub language: Language,
    pub marketing: bool,
    /// `tenant` where the tenant has its own text, else `builtin`.
    pub source: TemplateSource,
    /// When the tenant's own text last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// Every purpose × channel × language.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub items: Vec<TemplateSummary>,
}

/// Lists every purpose, channel and language with the text that applies:
/// the tenant's own or the built-in one.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    responses((status = 200, body = TemplateList))
)]
#[get("/templates")]
async fn list_templates(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(templates::list_templates(conn, auth.tenant_id)?)
    })
    .await?;
    let mut items = Vec::with_capacity(60);
    for purpose in Purpose::ALL {
        for channel in Channel::ALL {
            for language in Language::ALL {
                let own = rows.iter().find(|r| {
                    r.purpose == purpose.as_str()
                        && r.channel == channel.as_str()
                        && r.language == language.as_str()
                });
                items.push(TemplateSummary {
                    purpose,
                    channel,
                    language,
                    marketing: purpose.is_marketing(),
                    source: if own.is_some() {
                        TemplateSource::Tenant
                    } else {
                        TemplateSource::Builtin
                    },
                    updated_at: own.map(|r| r.updated_at),
                });
            }
        }
    }
    Ok(HttpResponse::Ok().json(TemplateList { items }))
}

/// The built-in text for a purpose, channel and language: a starting point
/// for the tenant's own.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("purpose" = Purpose, Path), ("channel" = Channel, Path), ("language" = String, Path)),
    responses((status = 200, body = TemplateView), (status = 404, body = crate::error::Problem))
)]
#[get("/templates/defaults/{purpose}/{channel}/{language}")]
async fn get_default_template(auth: Auth, path: KindPath) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let kind = Kind::parse(&path)?;
    let content = builtin(kind.purpose, kind.channel, kind.language).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(TemplateView::new(kind, TemplateSource::Builtin, content)))
}

/// The tenant's own template; 404 where it has none (the built-in text
/// applies, see `/templates/defaults/...`).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("purpose" = Purpose, Path), ("channel" = Channel, Path), ("language" = String, Path)),
    responses((status = 200, body = TemplateView), (status = 404, body = crate::error::Problem))
)]
#[get("/templates/{purpose}/{channel}/{language}")]
async fn get_template(
    state: web::Data<AppState>,
    auth: Auth,
    path: KindPath,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let kind = Kind::parse(&path)?;
    let row = db::run(&state.pool, move |conn| {
        Ok(templates::get_template(conn, auth.tenant_id, kind.key())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TemplateView::from_row(kind, &row)))
}

/// Saves the tenant's own template (manager): 201 when new, 200 when
/// replaced. A part that does not parse, uses a variable the purpose does
/// not provide, or refers to an unknown asset answers 422 naming the part,
/// with `Line N:` in the message.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("purpose" = Purpose, Path), ("channel" = Channel, Path), ("language" = String, Path)),
    request_body = TemplateParts,
    responses(
        (status = 200, body = TemplateView),
        (status = 201, body = TemplateView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[put("/templates/{purpose}/{channel}/{language}")]
async fn put_template(
    state: web::Data<AppState>,
    auth: Auth,
    path: KindPath,
    body: ValidJson<TemplateParts>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let kind = Kind::parse(&path)?;
    let parts = body.into_inner().into_valid(kind.channel, "")?;
    validate(kind.purpose, kind.language, &parts.content)?;
    let (row, created) = db::transaction(&state.pool, move |conn| {
        let wanted: Vec<Uuid> = parts
            .inline_asset_ids
            .iter()
            .chain(&parts.attachment_ids)
            .copied()
            .collect();
        let found = assets::existing_asset_ids(conn, auth.tenant_id, &wanted)?;
        check_assets(&parts.inline_asset_ids, &parts.attachment_ids, &found)?;
        let (row, created) =
            templates::upsert_template(conn, auth.tenant_id, new_id(), &parts.fields(kind))?;
        audit::record(conn, &auth, "template.save", "template", row.id)?;
        Ok((row, created))
    })
    .await?;
    let view = TemplateView::from_row(kind, &row);
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// 422 for every referenced asset the tenant does not have.
fn check_assets(
    inline: &[Uuid],
    attached: &[Uuid],
    found: &[Uuid],
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for id in inline.iter().filter(|id| !found.contains(id)) {
        errors.push(
            FieldError::new("unknown_asset", format!("No asset {id}; upload it first.")).at("html"),
        );
    }
    for (index, id) in attached.iter().enumerate() {
        if !found.contains(id) {
            errors.push(
                FieldError::new("unknown_asset", format!("No asset {id}; upload it first."))
                    .at(format!("attachment_ids[{index}]")),
            );
        }
    }
    errors.finish(|| ())
}

/// Deletes the tenant's own template (manager); the built-in text applies
/// again.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("purpose" = Purpose, Path), ("channel" = Channel, Path), ("language" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/templates/{purpose}/{channel}/{language}")]
async fn delete_template(
    state: web::Data<AppState>,
    auth: Auth,
    path: KindPath,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let kind = Kind::parse(&path)?;
    db::transaction(&state.pool, move |conn| {
        let id = templates::delete_template(conn, auth.tenant_id, kind.key())?;
        audit::record(conn, &auth, "template.delete", "template", id)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
