//! `POST /templates/preview`: a template rendered for a sample guest, a
//! given name, or one of the tenant's guests.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDate;
use guestcare_db::{
    guests,
    messages::{guest_vars, language_of},
    tenants,
};
use guestcare_domain::{
    FieldError, Language, Permission, ValidationErrors,
    templates::{
        self, Channel, Content, Context, GuestVars, OccasionVars, Purpose, Rendered, TenantVars,
        sms::{Encoding, estimate_cost},
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    TemplateParts, TemplateSource,
    choose::{Chosen, check_extra, stored_or_builtin},
};
use crate::{auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

/// A name to render for, instead of the sample guest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewGuest {
    pub full_name: String,
    #[serde(default)]
    pub code: String,
}

/// The occasion of a holiday greeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccasionBody {
    pub key: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

impl OccasionBody {
    /// The template's `occasion` variables; an error (without a path) when
    /// the date is not `YYYY-MM-DD`.
    pub fn to_vars(&self) -> Result<OccasionVars, FieldError> {
        NaiveDate::parse_from_str(&self.date, "%Y-%m-%d")
            .map_err(|_| FieldError::new("invalid_date", "Use YYYY-MM-DD."))?;
        Ok(OccasionVars {
            key: self.key.clone(),
            name: self.name.clone(),
            date: self.date.clone(),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub purpose: Purpose,
    pub channel: Channel,
    /// The guest's language; required unless `guest_id` is given (then the
    /// guest's own, else the tenant's default, is used). Without
    /// `template`, the text a message would use is chosen: the tenant's own
    /// in this language, the built-in one, the tenant's own in its default
    /// language, the built-in one.
    #[schema(value_type = Option<String>, example = "vi")]
    pub language: Option<Language>,
    /// A template to try before saving it; validated like a save.
    pub template: Option<TemplateParts>,
    /// A name to render for (not with `guest_id`).
    pub guest: Option<PreviewGuest>,
    /// One of the tenant's guests to render for, with their real name, code
    /// and language (404 if the tenant has no such guest).
    pub guest_id: Option<Uuid>,
    /// Without one, Lunar New Year.
    pub occasion: Option<OccasionBody>,
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

/// Renders a template for a guest (sample, a given name, or one of the
/// tenant's guests by `guest_id`): the one in the request
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
    let (purpose, channel) = (request.purpose, request.channel);
    check_extra(purpose, &request.extra)?;
    let occasion = match &request.occasion {
        Some(o) => Some(o.to_vars().map_err(|e| e.at("occasion.date"))?),
        None => None,
    };
    if request.guest_id.is_some() && request.guest.is_some() {
        return Err(
            FieldError::new("conflict", "Give either `guest` or `guest_id`.")
                .at("guest_id")
                .into(),
        );
    }
    if request.guest_id.is_none() && request.language.is_none() {
        return Err(
            FieldError::new("required", "Give the language, or a `guest_id`.")
                .at("language")
                .into(),
        );
    }
    let (guest_id, given) = (request.guest_id, request.template);
    let (tenant, chosen, guest) = db::run(&state.pool, move |conn| {
        let tenant = tenants::get_tenant(conn, auth.tenant_id)?;
        let default = tenant.default_language.parse().unwrap_or(Language::En);
        let (language, guest) = match guest_id {
            Some(id) => {
                let guest = guests::get_guest(conn, auth.tenant_id, id)?;
                (language_of(&guest, default), Some(guest))
            }
            None => (request.language.unwrap_or(default), None),
        };
        let chosen = match given {
            Some(parts) => given_template(parts, purpose, channel, language)?,
            None => stored_or_builtin(conn, auth.tenant_id, &tenant, purpose, channel, language)?,
        };
        Ok((tenant, chosen, guest))
    })
    .await?;
    let mut context = Context::sample(purpose, chosen.language);
    context.tenant = TenantVars {
        name: tenant.name,
        ..TenantVars::default()
    };
    if context.guest.is_some() {
        if let Some(guest) = guest {
            context.guest = Some(guest_vars(&guest, chosen.language));
        } else if let Some(guest) = request.guest {
            context.guest = Some(GuestVars::new(
                &guest.full_name,
                &guest.code,
                chosen.language,
            ));
        }
    }
    if let (Some(occasion), true) = (occasion, context.occasion.is_some()) {
        context.occasion = Some(occasion);
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

/// A template from the request, validated as on save (422 under `template`).
fn given_template(
    parts: TemplateParts,
    purpose: Purpose,
    channel: Channel,
    language: Language,
) -> Result<Chosen, ApiError> {
    let parts = parts.into_valid(channel, "template.")?;
    templates::validate(purpose, language, &parts.content).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| e.at("template"))
            .fold(ValidationErrors::new(), |mut all, e| {
                all.push(e);
                all
            })
    })?;
    Ok(Chosen {
        source: TemplateSource::Request,
        language,
        content: parts.content,
        attachment_ids: parts.attachment_ids,
    })
}
