//! Which text a preview renders, and the `extra` fields a purpose has
//! (shared with `POST /v1/messages`).

use std::collections::BTreeMap;

use guestcare_db::{templates as stored, tenants};
use guestcare_domain::{
    FieldError, Language, ValidationErrors,
    templates::{self, Channel, Content, Purpose, Source, allowed_extra, builtin},
};
use uuid::Uuid;

use super::{TemplateSource, content_of};
use crate::error::ApiError;

/// What to render and with which assets.
pub(super) struct Chosen {
    pub source: TemplateSource,
    pub language: Language,
    pub content: Content,
    pub attachment_ids: Vec<Uuid>,
}

/// 422 for `extra` fields the purpose does not have.
pub(crate) fn check_extra(
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
pub(super) fn stored_or_builtin(
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
