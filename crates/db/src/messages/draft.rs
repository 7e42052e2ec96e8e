//! What one send would write, before the rules decide whether it goes: the
//! language, the text (compiled once per purpose, channel and language in
//! a batch), the address, the unsubscribe link, the rendered message and
//! when its job may run.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    channels::{
        Category, is_e164,
        quiet_hours::{AllowedHours, next_allowed},
    },
    guest::{ConsentChannel, ConsentPurpose},
    signed_token::{GuestLinks, Unsubscribe},
    templates::{self, Channel, Compiled, Context, Purpose, Rendered, Source, TenantVars},
};
use uuid::Uuid;

use super::{
    GuestMessage, NewMessage, SendError, Text,
    text::{choose_template, guest_vars, language_of},
    thread::Thread,
};
use crate::{channel_settings::ChannelSettings, guests::Guest, new_id, tenants::Tenant};

/// A rendered send and what the rules need to judge it.
#[derive(Debug)]
pub(super) struct Draft {
    pub message: NewMessage,
    pub guest_id: Uuid,
    pub channel: Channel,
    pub marketing: bool,
    /// The address, `None` if the guest has none on the channel (or was erased).
    pub address: Option<String>,
    pub from_name: Option<String>,
    /// When its job may run (`None`: now).
    pub send_at: Option<DateTime<Utc>>,
}

/// Drafts sends of one tenant, compiling each template once.
pub(super) struct Drafter<'a> {
    pub tenant: &'a Tenant,
    pub settings: Option<&'a ChannelSettings>,
    /// `None` only for service sends (no unsubscribe link).
    pub links: Option<&'a GuestLinks>,
    pub thread: &'a Thread,
    compiled: HashMap<(Purpose, Channel, Language), (Language, Compiled)>,
}

impl<'a> Drafter<'a> {
    pub fn new(
        tenant: &'a Tenant,
        settings: Option<&'a ChannelSettings>,
        links: Option<&'a GuestLinks>,
        thread: &'a Thread,
    ) -> Drafter<'a> {
        Drafter {
            tenant,
            settings,
            links,
            thread,
            compiled: HashMap::new(),
        }
    }

    /// The tenant's or the built-in template for the guest's language
    /// (`templates::select`), compiled once per batch.
    fn template(
        &mut self,
        conn: &mut PgConnection,
        send: &GuestMessage,
        language: Language,
    ) -> Result<&(Language, Compiled), SendError> {
        let key = (send.purpose, send.channel, language);
        if !self.compiled.contains_key(&key) {
            let default = self.default_language();
            let (source, content) = choose_template(
                conn,
                self.tenant.id,
                send.purpose,
                send.channel,
                language,
                default,
            )?;
            let chosen = match source {
                Source::Tenant(l) | Source::Builtin(l) => l,
            };
            let compiled = templates::compile(&content, chosen).map_err(SendError::Template)?;
            self.compiled.insert(key, (chosen, compiled));
        }
        self.compiled.get(&key).ok_or(SendError::NoTemplate)
    }

    fn default_language(&self) -> Language {
        self.tenant.default_language.parse().unwrap_or(Language::En)
    }

    /// Drafts `send` to `guest` (already the merge survivor).
    pub fn draft(
        &mut self,
        conn: &mut PgConnection,
        send: &GuestMessage,
        guest: &Guest,
    ) -> Result<Draft, SendError> {
        let language = language_of(guest, self.default_language());
        let id = new_id();
        let marketing = send.purpose.is_marketing();
        let unsubscribe_url = self
            .links
            .filter(|_| marketing)
            .map(|links| match send.channel {
                Channel::Email => links.unsubscribe_url(&Unsubscribe {
                    tenant_id: self.tenant.id,
                    guest_id: guest.id,
                    channel: ConsentChannel::Email,
                    purpose: ConsentPurpose::Marketing,
                    message_id: id,
                }),
                Channel::Sms => links.message_unsubscribe_url(id),
            });
        let mut extra = send.extra.clone();
        if let Some(url) = &unsubscribe_url {
            extra.insert("unsubscribe_url".to_owned(), url.clone().into());
        }
        let tenant_name = self.tenant.name.clone();
        let (language, template_key, compiled, own) = match &send.text {
            Text::Template => {
                let (chosen, compiled) = self.template(conn, send, language)?;
                let key = format!("{}/{}/{}", send.purpose, send.channel, chosen.as_str());
                (*chosen, key, compiled, None)
            }
            Text::Own(own) => {
                let (chosen, compiled) = own.choose(language).ok_or(SendError::NoTemplate)?;
                let key = format!("{}/{}", own.key, chosen.as_str());
                (chosen, key, compiled, Some(own))
            }
        };
        let context = Context {
            guest: Some(guest_vars(guest, language)),
            tenant: TenantVars {
                name: tenant_name,
                ..TenantVars::default()
            },
            occasion: send.occasion.clone(),
            extra,
        };
        let rendered = compiled.render(&context).map_err(SendError::Template)?;
        let address = match send.channel {
            Channel::Email => guest.email.clone(),
            Channel::Sms => guest.phones.iter().flatten().find(|p| is_e164(p)).cloned(),
        }
        .filter(|_| guest.erased_at.is_none());
        let (subject, body_text, body_html) = match rendered {
            Rendered::Email(mail) => (
                Some(self.thread.subject(mail.subject)),
                mail.text,
                Some(mail.html),
            ),
            Rendered::Sms { body, .. } => (None, body, None),
        };
        let time_zone = guest
            .time_zone
            .clone()
            .unwrap_or_else(|| self.tenant.time_zone.clone());
        let waits = match send.channel {
            Channel::Sms => true,
            Channel::Email => own.is_some_and(|o| o.email_in_allowed_hours),
        };
        let send_at = waits.then(|| self.allowed_from(&time_zone)).flatten();
        let category = if marketing {
            Category::Marketing
        } else if self.thread.auto_reply {
            Category::AutoReply
        } else {
            Category::Service
        };
        Ok(Draft {
            message: NewMessage {
                id,
                tenant_id: self.tenant.id,
                guest_id: Some(guest.id),
                channel: send.channel.as_str().to_owned(),
                purpose: send.purpose.as_str().to_owned(),
                category: category.as_str().to_owned(),
                template_key: Some(template_key),
                language: Some(language.as_str().to_owned()),
                recipient: address.clone().unwrap_or_default(),
                time_zone: Some(time_zone),
                subject,
                body_text,
                body_html,
                unsubscribe_url,
                parts_of: None,
                dedupe_key: Some(send.dedupe_key.clone()),
            },
            guest_id: guest.id,
            channel: send.channel,
            marketing,
            address,
            from_name: own.and_then(|o| o.from_name.clone()),
            send_at,
        })
    }

    /// The next instant inside the tenant's allowed hours in `time_zone`,
    /// if that is later than now.
    fn allowed_from(&self, time_zone: &str) -> Option<DateTime<Utc>> {
        let tz: Tz = time_zone.parse().unwrap_or(Tz::Asia__Ho_Chi_Minh);
        let window = self
            .settings
            .map_or_else(AllowedHours::default, |s| AllowedHours {
                start: s.quiet_start,
                end: s.quiet_end,
            });
        let now = Utc::now();
        Some(next_allowed(now, tz, window)).filter(|at| *at > now)
    }
}
