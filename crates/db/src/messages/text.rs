//! What a message to a guest says, and in which language: the rules that
//! `send_to_guest` and template previews share.

use std::collections::BTreeMap;

use diesel::prelude::*;
use guestcare_domain::{
    Language,
    guest::GuestCode,
    templates::{self, Channel, Compiled, Content, GuestVars, Purpose, Source, builtin},
};
use uuid::Uuid;

use super::SendError;
use crate::{guests, templates as stored};

/// The language a guest is written in: their own, else the tenant's default.
pub fn language_of(guest: &guests::Guest, tenant_default: Language) -> Language {
    guest
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(tenant_default)
}

/// The template's `guest` variables of a stored guest.
pub fn guest_vars(guest: &guests::Guest, language: Language) -> GuestVars {
    GuestVars::new(
        &guest.full_name,
        &GuestCode::from_number(guest.code.unsigned_abs()).to_string(),
        language,
    )
}

/// The text a message uses (see `templates::select`).
pub fn choose_template(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    purpose: Purpose,
    channel: Channel,
    language: Language,
    default_language: Language,
) -> Result<(Source, Content), SendError> {
    let own = stored::list_template_languages(conn, tenant_id, purpose.as_str(), channel.as_str())?;
    let source = templates::select(
        language,
        default_language,
        |l| own.iter().any(|o| o == l.as_str()),
        |l| builtin(purpose, channel, l).is_some(),
    )
    .ok_or(SendError::NoTemplate)?;
    let content = match source {
        Source::Tenant(l) => stored::get_template(
            conn,
            tenant_id,
            stored::TemplateKey {
                purpose: purpose.as_str(),
                channel: channel.as_str(),
                language: l.as_str(),
            },
        )?
        .content(),
        Source::Builtin(l) => builtin(purpose, channel, l).ok_or(SendError::NoTemplate)?,
    };
    Ok((source, content))
}

/// A caller's own text in several languages, compiled once for many sends
/// (a campaign's variants).
#[derive(Debug)]
pub struct OwnText {
    /// Names the text in `messages.template_key` (`campaign:{id}`; the
    /// language is appended).
    pub key: String,
    pub variants: BTreeMap<Language, Compiled>,
    /// The variant for guests whose language has none.
    pub default: Language,
    /// The From header's display name.
    pub from_name: Option<String>,
    /// E-mail waits for the guest's allowed hours too (SMS always does).
    pub email_in_allowed_hours: bool,
}

impl OwnText {
    /// The variant a guest writing `language` reads: their own, else the
    /// default, else any.
    pub fn choose(&self, language: Language) -> Option<(Language, &Compiled)> {
        [language, self.default]
            .into_iter()
            .find_map(|l| Some((l, self.variants.get(&l)?)))
            .or_else(|| self.variants.iter().next().map(|(l, c)| (*l, c)))
    }
}
