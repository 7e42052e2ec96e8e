//! `POST /templates/preview`: a template rendered for a sample or given guest.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, post, web};
use guestcare_db::{templates as stored, tenants};
use guestcare_domain::{
    FieldError, Language, Permission, ValidationErrors,
    templates::{
        self, Channel, Content, Context, GuestVars, OccasionVars, Purpose, Rendered, Source,
        TenantVars, allowed_extra, builtin,
        sms::{Encoding, estimate_cost},
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{TemplateParts, TemplateSource, content_of};
use crate::{auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

/// The guest to render for; without one, a sample guest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewGuest {
    pub full_name: String,
    #[serde(default)]
    pub code: String,
}

/// The occasion of a holiday greeting; without one, Lunar New Year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewOccasion {
    pub key: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub purpose: Purpose,
    pub channel: Channel,
    /// The guest's language. Without `template`, the text a message would
    /// use is chosen: the tenant's own in this language, the built-in one,
    /// the tenant's own in its default language, the built-in one.
    #[schema(value_type = String, example = "vi")]
    pub language: Language,
    /// A template to try before saving it; validated like a save.
    pub template: Option<TemplateParts>,
    pub guest: Option<PreviewGuest>,
    pub occasion: Option<PreviewOccasion>,
    /// Values of the purpose's `extra` fields; missing ones get sample
    /// values.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The size and estimated price of an SMS.
#[derive(Debug, Serialize, ToSchema)]
pub struct SmsPreview {
    pub encoding: Encoding,
    /// GSM-7 septets or UTF-16 units.
    pub units: usize,
    pub segments: usize,
    pub price_per_segment: f64,
    /// `segments × price_per_segment`.
    pub estimated_cost: f64,
    pub currency: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResponse {
    pub source: TemplateSource,
    /// The language of the text used.
    #[schema(value_type = String, example = "vi")]
    pub language: Language,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms: Option<SmsPreview>,
    /// Assets a sender embeds inline (`cid:`).
    pub inline_asset_ids: Vec<Uuid>,
    pub attachment_ids: Vec<Uuid>,
}

/// What to render and with which assets.
struct Chosen {
    source: TemplateSource,
    language: Language,
    content: Content,
    attachment_ids: Vec<Uuid>,
}

/// Renders a template for a guest (sample or given): the one in the request
/// (validated as on save: 422 with the line), else the text a message would
/// use. SMS previews add the encoding, segments and an estimated cost.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    request_body = PreviewRequest,
    responses((status = 200, body = PreviewResponse), (status = 422, body = crate::error::Problem))
)]
#[post("/templates/preview")]
pub(super) async fn preview_template(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let request = body.into_inner();
    let (purpose, channel, language) = (request.purpose, request.channel, request.language);
    check_extra(purpose, &request.extra)?;
    let given = match request.template {
        Some(parts) => {
            let parts = parts.into_valid(channel, "template.")?;
            templates::validate(purpose, language, &parts.content).map_err(|errors| {
                errors.into_iter().map(|e| e.at("template")).fold(
                    ValidationErrors::new(),
                    |mut all, e| {
                        all.push(e);
                        all
                    },
                )
            })?;
            Some(Chosen {
                source: TemplateSource::Request,
                language,
                content: parts.content,
                attachment_ids: parts.attachment_ids,
            })
        }
        None => None,
    };
    let (tenant, chosen) = db::run(&state.pool, move |conn| {
        let tenant = tenants::get_tenant(conn, auth.tenant_id)?;
        let chosen = match given {
            Some(chosen) => chosen,
            None => stored_or_builtin(conn, auth.tenant_id, &tenant, purpose, channel, language)?,
        };
        Ok((tenant, chosen))
    })
    .await?;
    let mut context = Context::sample(purpose, chosen.language);
    context.tenant = TenantVars {
        name: tenant.name,
        ..TenantVars::default()
    };
    if let (Some(guest), true) = (request.guest, context.guest.is_some()) {
        context.guest = Some(GuestVars::new(&guest.full_name, &guest.code, language));
    }
    if let (Some(occasion), true) = (request.occasion, context.occasion.is_some()) {
        context.occasion = Some(OccasionVars {
            key: occasion.key,
            name: occasion.name,
            date: occasion.date,
        });
    }
    context.extra.extend(request.extra);
    let rendered = templates::render(&chosen.content, chosen.language, &context)
        .map_err(|e| ApiError::Validation(FieldError::from(e).at("template").into()))?;
    let inline_asset_ids = match &chosen.content {
        Content::Email { html, .. } => templates::cid_references(html).unwrap_or_default(),
        Content::Sms { .. } => Vec::new(),
    };
    let mut response = PreviewResponse {
        source: chosen.source,
        language: chosen.language,
        subject: None,
        html: None,
        text: None,
        body: None,
        sms: None,
        inline_asset_ids,
        attachment_ids: chosen.attachment_ids,
    };
    match rendered {
        Rendered::Email(mail) => {
            response.subject = Some(mail.subject);
            response.html = Some(mail.html);
            response.text = Some(mail.text);
        }
        Rendered::Sms { body, segments } => {
            let settings = &state.settings.templates;
            response.body = Some(body);
            response.sms = Some(SmsPreview {
                encoding: segments.encoding,
                units: segments.units,
                segments: segments.segments,
                price_per_segment: settings.sms_segment_price,
                estimated_cost: estimate_cost(segments, settings.sms_segment_price),
                currency: settings.sms_price_currency.clone(),
            });
        }
    }
    Ok(HttpResponse::Ok().json(response))
}

/// 422 for `extra` fields the purpose does not have.
fn check_extra(
    purpose: Purpose,
    extra: &BTreeMap<String, serde_json::Value>,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for key in extra.keys() {
        if !allowed_extra(purpose).contains(&key.as_str()) {
            errors.push(
                FieldError::new(
                    "unknown_field",
                    format!(
                        "{purpose} messages have no `{key}`; use one of {}.",
                        allowed_extra(purpose).join(", ")
                    ),
                )
                .at(format!("extra.{key}")),
            );
        }
    }
    errors.finish(|| ())
}

/// The text a message would use (see `templates::select`).
fn stored_or_builtin(
    conn: &mut guestcare_db::PgConnection,
    tenant_id: Uuid,
    tenant: &tenants::Tenant,
    purpose: Purpose,
    channel: Channel,
    language: Language,
) -> Result<Chosen, ApiError> {
    let own = stored::list_template_languages(conn, tenant_id, purpose.as_str(), channel.as_str())?;
    let default = tenant.default_language.parse().unwrap_or(Language::En);
    let source = templates::select(
        language,
        default,
        |l| own.iter().any(|o| o == l.as_str()),
        |l| builtin(purpose, channel, l).is_some(),
    )
    .ok_or(ApiError::NotFound)?;
    Ok(match source {
        Source::Tenant(language) => {
            let key = stored::TemplateKey {
                purpose: purpose.as_str(),
                channel: channel.as_str(),
                language: language.as_str(),
            };
            let row = stored::get_template(conn, tenant_id, key)?;
            Chosen {
                source: TemplateSource::Tenant,
                language,
                content: content_of(&row),
                attachment_ids: row.attachment_ids.iter().flatten().copied().collect(),
            }
        }
        Source::Builtin(language) => Chosen {
            source: TemplateSource::Builtin,
            language,
            content: builtin(purpose, channel, language).ok_or(ApiError::NotFound)?,
            attachment_ids: Vec::new(),
        },
    })
}
