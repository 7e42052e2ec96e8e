//! The built-in texts, one file per purpose, channel and language under
//! `crates/domain/templates/{purpose}/{channel}.{language}.jinja`.
//!
//! A file holds its parts after marker lines: `=== subject`, `=== html`,
//! `=== text` for e-mail, `=== body` for SMS. Blank lines around a part are
//! dropped.

use std::{collections::BTreeMap, sync::LazyLock};

use super::{Channel, Content, Purpose};
use crate::Language;

macro_rules! files {
    ($($purpose:ident => $dir:literal),+ $(,)?) => {
        &[$(
            (Purpose::$purpose, Channel::Email, Language::Vi, include_str!(concat!("../../templates/", $dir, "/email.vi.jinja"))),
            (Purpose::$purpose, Channel::Email, Language::En, include_str!(concat!("../../templates/", $dir, "/email.en.jinja"))),
            (Purpose::$purpose, Channel::Email, Language::ZhHant, include_str!(concat!("../../templates/", $dir, "/email.zh-Hant.jinja"))),
            (Purpose::$purpose, Channel::Sms, Language::Vi, include_str!(concat!("../../templates/", $dir, "/sms.vi.jinja"))),
            (Purpose::$purpose, Channel::Sms, Language::En, include_str!(concat!("../../templates/", $dir, "/sms.en.jinja"))),
            (Purpose::$purpose, Channel::Sms, Language::ZhHant, include_str!(concat!("../../templates/", $dir, "/sms.zh-Hant.jinja"))),
        )+]
    };
}

type Key = (Purpose, Channel, Language);

/// Every built-in file's source.
pub(super) const FILES: &[(Purpose, Channel, Language, &str)] = files!(
    Promotion => "promotion",
    HolidayGreeting => "holiday_greeting",
    Birthday => "birthday",
    FeedbackAcknowledgement => "feedback_acknowledgement",
    SurveyInvitation => "survey_invitation",
    Reminder => "reminder",
    TicketReply => "ticket_reply",
    SatisfactionSurvey => "satisfaction_survey",
    BookingConfirmation => "booking_confirmation",
    StaffDigest => "staff_digest",
);

static BUILTINS: LazyLock<BTreeMap<Key, Content>> = LazyLock::new(|| {
    FILES
        .iter()
        .filter_map(|(purpose, channel, language, source)| {
            parse_file(*channel, source).map(|content| ((*purpose, *channel, *language), content))
        })
        .collect()
});

/// The built-in template for `purpose` on `channel` in `language`. Every
/// combination ships (unit tests check it), so `None` means a broken build.
pub fn builtin(purpose: Purpose, channel: Channel, language: Language) -> Option<Content> {
    BUILTINS.get(&(purpose, channel, language)).cloned()
}

/// The parts of one file; `None` if a part is missing.
pub(super) fn parse_file(channel: Channel, source: &str) -> Option<Content> {
    let mut parts: BTreeMap<&str, String> = BTreeMap::new();
    let mut current: Option<&str> = None;
    for line in source.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            current = Some(name.trim());
            parts.insert(name.trim(), String::new());
        } else if let Some(part) = current.and_then(|name| parts.get_mut(name)) {
            part.push_str(line);
        }
    }
    let mut take = |name: &str| {
        parts
            .remove(name)
            .map(|text| text.trim_matches('\n').to_owned())
    };
    match channel {
        Channel::Email => Some(Content::Email {
            subject: take("subject")?,
            html: take("html")?,
            text: take("text")?,
        }),
        Channel::Sms => Some(Content::Sms {
            body: take("body")?,
            strip_diacritics: false,
        }),
    }
}
