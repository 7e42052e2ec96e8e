//! Message templates: what guestcare writes to guests (and staff), per
//! purpose, channel and language.
//!
//! A template is [`Content`] for one ([`Purpose`], [`Channel`],
//! [`Language`](crate::Language)): an e-mail has a subject, an HTML part and a
//! plain-text part; an SMS has a body and may strip Vietnamese diacritics so
//! that it travels as GSM-7. Templates are minijinja source rendered against a
//! [`Context`] (see [`context`] for every variable). Saving a template goes
//! through [`validate`], which reports parse errors and variables the purpose
//! does not provide with their line. Built-in texts ship for every purpose,
//! channel and language ([`builtin`]); [`select`] picks between a tenant's own
//! template and the built-ins.
//!
//! ```
//! use guestcare_domain::{Language, templates::{self, Channel, Purpose}};
//! let content = templates::builtin(Purpose::Birthday, Channel::Sms, Language::Vi).unwrap();
//! let context = templates::Context::sample(Purpose::Birthday, Language::Vi);
//! let rendered = templates::render(&content, Language::Vi, &context).unwrap();
//! assert!(rendered.body().unwrap().contains("Nguyễn Văn An"));
//! ```

mod builtin_files;
pub mod context;
mod environment;
mod format;
mod images;
mod render;
mod select;
pub mod sms;
mod validate;
mod variables;

#[cfg(test)]
mod builtin_tests;

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

pub use builtin_files::builtin;
pub use context::{Context, GuestVars, OccasionVars, TenantVars};
pub use format::{format_date, format_money};
pub use images::{IMAGE_TYPES, sniff_image};
pub use render::{Compiled, Rendered, RenderedEmail, compile, render};
pub use select::{Source, select};
pub use sms::{Encoding, Segments};
pub use validate::{TemplateError, cid_references, validate};
pub use variables::{allowed_extra, has_guest, has_occasion};

use crate::FieldError;

/// What a message is for. Marketing purposes need the guest's marketing
/// consent for the channel and count towards the frequency cap; the others
/// are service messages.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Promotion,
    HolidayGreeting,
    Birthday,
    FeedbackAcknowledgement,
    SurveyInvitation,
    Reminder,
    TicketReply,
    SatisfactionSurvey,
    BookingConfirmation,
    /// A summary for staff, not for guests: it has no `guest` variable.
    StaffDigest,
}

impl Purpose {
    /// Every purpose, in a stable order.
    pub const ALL: [Purpose; 10] = [
        Purpose::Promotion,
        Purpose::HolidayGreeting,
        Purpose::Birthday,
        Purpose::FeedbackAcknowledgement,
        Purpose::SurveyInvitation,
        Purpose::Reminder,
        Purpose::TicketReply,
        Purpose::SatisfactionSurvey,
        Purpose::BookingConfirmation,
        Purpose::StaffDigest,
    ];

    /// The snake_case name used in paths and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Promotion => "promotion",
            Purpose::HolidayGreeting => "holiday_greeting",
            Purpose::Birthday => "birthday",
            Purpose::FeedbackAcknowledgement => "feedback_acknowledgement",
            Purpose::SurveyInvitation => "survey_invitation",
            Purpose::Reminder => "reminder",
            Purpose::TicketReply => "ticket_reply",
            Purpose::SatisfactionSurvey => "satisfaction_survey",
            Purpose::BookingConfirmation => "booking_confirmation",
            Purpose::StaffDigest => "staff_digest",
        }
    }

    /// Whether messages of this purpose are marketing: they need marketing
    /// consent and carry an unsubscribe link.
    pub fn is_marketing(self) -> bool {
        matches!(
            self,
            Purpose::Promotion
                | Purpose::HolidayGreeting
                | Purpose::Birthday
                | Purpose::SurveyInvitation
        )
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "invalid_purpose",
                    "Purpose must be one of promotion, holiday_greeting, birthday, \
                     feedback_acknowledgement, survey_invitation, reminder, ticket_reply, \
                     satisfaction_survey, booking_confirmation, staff_digest.",
                )
            })
    }
}

/// How a message travels.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "email" => Ok(Channel::Email),
            "sms" => Ok(Channel::Sms),
            _ => Err(FieldError::new(
                "invalid_channel",
                "Channel must be email or sms.",
            )),
        }
    }
}

/// The source of one template: the parts its channel has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Email {
        /// One line; rendered without HTML escaping.
        subject: String,
        /// Rendered with HTML auto-escaping. Images are hosted URLs
        /// (`/a/{tenant}/{token}`) or `cid:{asset id}` for inline parts.
        html: String,
        text: String,
    },
    Sms {
        body: String,
        /// Remove Vietnamese diacritics after rendering (đ → d, tone marks
        /// dropped), so the message fits GSM-7's 160 characters a segment.
        strip_diacritics: bool,
    },
}

impl Content {
    pub fn channel(&self) -> Channel {
        match self {
            Content::Email { .. } => Channel::Email,
            Content::Sms { .. } => Channel::Sms,
        }
    }

    /// Each source part with its field name (`subject`, `html`, `text`,
    /// `body`).
    pub fn parts(&self) -> Vec<(&'static str, &str)> {
        match self {
            Content::Email {
                subject,
                html,
                text,
            } => vec![("subject", subject), ("html", html), ("text", text)],
            Content::Sms { body, .. } => vec![("body", body)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marketing_purposes() {
        let marketing: Vec<&str> = Purpose::ALL
            .into_iter()
            .filter(|p| p.is_marketing())
            .map(Purpose::as_str)
            .collect();
        assert_eq!(
            marketing,
            [
                "promotion",
                "holiday_greeting",
                "birthday",
                "survey_invitation"
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for purpose in Purpose::ALL {
            assert_eq!(purpose.as_str().parse::<Purpose>(), Ok(purpose));
        }
        for channel in Channel::ALL {
            assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
        }
        assert!("newsletter".parse::<Purpose>().is_err());
    }
}
