//! The JSON shapes of templates and their conversion to domain content.

use chrono::{DateTime, Utc};
use guestcare_db::templates::{Template, TemplateFields, TemplateKey};
use guestcare_domain::{
    FieldError, Language, ValidationErrors,
    templates::{Channel, Content, Purpose, cid_references},
    text,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// Which template: `/templates/{purpose}/{channel}/{language}`.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub purpose: Purpose,
    pub channel: Channel,
    pub language: Language,
}

impl Kind {
    /// Parses the path segments; anything unknown names no template (404).
    pub fn parse(path: &(String, String, String)) -> Result<Kind, ApiError> {
        let (purpose, channel, language) = path;
        Ok(Kind {
            purpose: purpose.parse().map_err(|_| ApiError::NotFound)?,
            channel: channel.parse().map_err(|_| ApiError::NotFound)?,
            language: language.parse().map_err(|_| ApiError::NotFound)?,
        })
    }

    pub fn key(self) -> TemplateKey<'static> {
        TemplateKey {
            purpose: self.purpose.as_str(),
            channel: self.channel.as_str(),
            language: self.language.as_str(),
        }
    }
}

/// A template's parts. E-mail: `subject`, `html`, `text` (all required) and
/// optionally `attachment_ids`; SMS: `body` and optionally
/// `strip_diacritics`. Parts of the other channel are rejected.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateParts {
    /// E-mail subject, one line, at most 250 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// E-mail HTML part (auto-escaped). Images: a hosted asset URL, or
    /// `cid:{asset id}` to embed the asset inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// E-mail plain-text part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// SMS text, at most 1600 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// SMS: remove Vietnamese diacritics after rendering so the message
    /// travels as GSM-7 (160 characters a segment instead of 70).
    #[serde(default)]
    pub strip_diacritics: bool,
    /// E-mail: assets attached to every message.
    #[serde(default)]
    pub attachment_ids: Vec<Uuid>,
}

/// Validated parts: the domain content, and the assets it needs.
#[derive(Debug)]
pub struct ValidParts {
    pub content: Content,
    pub inline_asset_ids: Vec<Uuid>,
    pub attachment_ids: Vec<Uuid>,
}

impl TemplateParts {
    /// The parts as content for `channel` (NFC), with field errors under
    /// `prefix` (`""` or `template.`) for missing or misplaced parts.
    pub fn into_valid(
        self,
        channel: Channel,
        prefix: &str,
    ) -> Result<ValidParts, ValidationErrors> {
        let nfc = |s: Option<String>| s.as_deref().map(text::nfc);
        let mut errors = ValidationErrors::new();
        let mut forbid = |present: bool, field: &str| {
            if present {
                errors.push(
                    FieldError::new("not_allowed", format!("Not used by {channel} templates."))
                        .at(format!("{prefix}{field}")),
                );
            }
        };
        let content = match channel {
            Channel::Email => {
                forbid(self.body.is_some(), "body");
                forbid(self.strip_diacritics, "strip_diacritics");
                let subject = errors.require(&format!("{prefix}subject"), nfc(self.subject));
                let html = errors.require(&format!("{prefix}html"), nfc(self.html));
                let text = errors.require(&format!("{prefix}text"), nfc(self.text));
                match (subject, html, text) {
                    (Some(subject), Some(html), Some(text)) => Some(Content::Email {
                        subject,
                        html,
                        text,
                    }),
                    _ => None,
                }
            }
            Channel::Sms => {
                forbid(self.subject.is_some(), "subject");
                forbid(self.html.is_some(), "html");
                forbid(self.text.is_some(), "text");
                forbid(!self.attachment_ids.is_empty(), "attachment_ids");
                errors
                    .require(&format!("{prefix}body"), nfc(self.body))
                    .map(|body| Content::Sms {
                        body,
                        strip_diacritics: self.strip_diacritics,
                    })
            }
        };
        let inline_asset_ids = match &content {
            Some(Content::Email { html, .. }) => cid_references(html)
                .map_err(|e| errors.push(FieldError::from(e).at(prefix.trim_end_matches('.'))))
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut attachment_ids: Vec<Uuid> = Vec::with_capacity(self.attachment_ids.len());
        for id in self.attachment_ids {
            if !attachment_ids.contains(&id) {
                attachment_ids.push(id);
            }
        }
        match content {
            Some(content) if errors.is_empty() => Ok(ValidParts {
                content,
                inline_asset_ids,
                attachment_ids,
            }),
            _ => Err(errors),
        }
    }
}

impl ValidParts {
    pub fn fields(&self, kind: Kind) -> TemplateFields<'_> {
        let (subject, html, body, strip) = match &self.content {
            Content::Email {
                subject,
                html,
                text,
            } => (Some(subject.as_str()), Some(html.as_str()), text, false),
            Content::Sms {
                body,
                strip_diacritics,
            } => (None, None, body, *strip_diacritics),
        };
        TemplateFields {
            purpose: kind.purpose.as_str(),
            channel: kind.channel.as_str(),
            language: kind.language.as_str(),
            subject,
            html,
            body,
            strip_diacritics: strip,
            inline_asset_ids: self.inline_asset_ids.iter().copied().map(Some).collect(),
            attachment_ids: self.attachment_ids.iter().copied().map(Some).collect(),
        }
    }
}

/// A stored template as domain content.
pub fn content_of(row: &Template) -> Content {
    row.content()
}

/// Where a template comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemplateSource {
    /// The tenant's own.
    Tenant,
    /// Shipped with guestcare.
    Builtin,
    /// Given in the preview request.
    Request,
}

/// One template with its parts.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    pub purpose: Purpose,
    pub channel: Channel,
    #[schema(value_type = String, example = "vi")]
    pub language: Language,
    pub source: TemplateSource,
    /// Marketing messages need consent and carry an unsubscribe link.
    pub marketing: bool,
    #[serde(flatten)]
    pub parts: TemplateParts,
    /// Assets the HTML embeds inline (`cid:`), in order of first use.
    pub inline_asset_ids: Vec<Uuid>,
    /// Absent for built-in texts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl TemplateView {
    pub fn new(kind: Kind, source: TemplateSource, content: Content) -> TemplateView {
        let inline_asset_ids = match &content {
            Content::Email { html, .. } => cid_references(html).unwrap_or_default(),
            Content::Sms { .. } => Vec::new(),
        };
        let parts = match content {
            Content::Email {
                subject,
                html,
                text,
            } => TemplateParts {
                subject: Some(subject),
                html: Some(html),
                text: Some(text),
                ..TemplateParts::default()
            },
            Content::Sms {
                body,
                strip_diacritics,
            } => TemplateParts {
                body: Some(body),
                strip_diacritics,
                ..TemplateParts::default()
            },
        };
        TemplateView {
            purpose: kind.purpose,
            channel: kind.channel,
            language: kind.language,
            source,
            marketing: kind.purpose.is_marketing(),
            parts,
            inline_asset_ids,
            updated_at: None,
        }
    }

    pub fn from_row(kind: Kind, row: &Template) -> TemplateView {
        let mut view = TemplateView::new(kind, TemplateSource::Tenant, content_of(row));
        view.parts.attachment_ids = row.attachment_ids.iter().flatten().copied().collect();
        view.updated_at = Some(row.updated_at);
        view
    }
}
