//! Inbound mail: what a guest's e-mail says and what may be done with it.
//!
//! Pure rules, no I/O: [`parse`] turns raw RFC 5322 bytes into a
//! [`parse::Parsed`] message (every charset mail-parser knows, HTML
//! sanitised, attachments bounded) or a [`parse::Quarantine`] reason;
//! [`bounce`] reads RFC 3464 delivery status notifications; [`ack`] decides
//! whether an automatic acknowledgement is allowed (RFC 3834 loop safety);
//! [`thread`] recognises our own Message-IDs, which thread replies to
//! their ticket.

pub mod ack;
pub mod bounce;
pub mod parse;
pub mod thread;

use serde::{Deserialize, Serialize};

/// What a mailbox's mail becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxPurpose {
    /// Guests' feedback: tickets of category `feedback`.
    Feedback,
    /// Questions and requests: tickets of category `inquiry`.
    Support,
    /// Answers to survey invitations (`surveys::ingest_email_reply`).
    SurveyReplies,
}

impl MailboxPurpose {
    pub const ALL: [MailboxPurpose; 3] = [
        MailboxPurpose::Feedback,
        MailboxPurpose::Support,
        MailboxPurpose::SurveyReplies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailboxPurpose::Feedback => "feedback",
            MailboxPurpose::Support => "support",
            MailboxPurpose::SurveyReplies => "survey_replies",
        }
    }

    pub fn parse(text: &str) -> Option<MailboxPurpose> {
        MailboxPurpose::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The category of the tickets this mailbox's new messages open.
    pub fn ticket_category(self) -> crate::tickets::TicketCategory {
        use crate::tickets::TicketCategory;
        match self {
            MailboxPurpose::Feedback | MailboxPurpose::SurveyReplies => TicketCategory::Feedback,
            MailboxPurpose::Support => TicketCategory::Inquiry,
        }
    }
}

/// How the worker talks to the IMAP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImapSecurity {
    /// TLS from the first byte (port 993).
    Tls,
    /// Plain connection upgraded with STARTTLS before login (port 143).
    Starttls,
    /// No encryption: only for a server on loopback.
    None,
}

impl ImapSecurity {
    pub fn as_str(self) -> &'static str {
        match self {
            ImapSecurity::Tls => "tls",
            ImapSecurity::Starttls => "starttls",
            ImapSecurity::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<ImapSecurity> {
        [
            ImapSecurity::Tls,
            ImapSecurity::Starttls,
            ImapSecurity::None,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// The language a message is most likely written in, for a new contact:
/// Vietnamese letters (đ, ơ, ư, ă and the precomposed tone marks) → `vi`,
/// Han characters → `zh-Hant`; `None` otherwise (the tenant's default).
pub fn guess_language(text: &str) -> Option<crate::Language> {
    let vietnamese = |c: char| {
        matches!(
            c,
            'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ă' | 'Ă' | '\u{1EA0}'..='\u{1EF9}'
        )
    };
    let han = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}');
    if text.chars().any(vietnamese) {
        Some(crate::Language::Vi)
    } else if text.chars().any(han) {
        Some(crate::Language::ZhHant)
    } else {
        None
    }
}

/// The sealing context of a mailbox's password: tenant id ‖ mailbox id.
pub fn secret_context(tenant_id: uuid::Uuid, mailbox_id: uuid::Uuid) -> Vec<u8> {
    [tenant_id.as_bytes().as_slice(), mailbox_id.as_bytes()].concat()
}

/// The cron expression (six fields, seconds first) that polls a mailbox
/// every `secs` seconds: a divisor of a minute (2–30 s) or a whole number of
/// minutes that divides an hour (60–3600 s). `None` for any other interval.
pub fn poll_cron(secs: i32) -> Option<String> {
    match secs {
        60 | 3600 => Some(
            if secs == 60 {
                "0 * * * * *"
            } else {
                "0 0 * * * *"
            }
            .to_owned(),
        ),
        2..=30 if 60 % secs == 0 => Some(format!("*/{secs} * * * * *")),
        120..=1800 if secs % 60 == 0 && 60 % (secs / 60) == 0 => {
            Some(format!("0 */{} * * * *", secs / 60))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_intervals_become_cron_expressions() {
        assert_eq!(poll_cron(2).as_deref(), Some("*/2 * * * * *"));
        assert_eq!(poll_cron(30).as_deref(), Some("*/30 * * * * *"));
        assert_eq!(poll_cron(60).as_deref(), Some("0 * * * * *"));
        assert_eq!(poll_cron(300).as_deref(), Some("0 */5 * * * *"));
        assert_eq!(poll_cron(3600).as_deref(), Some("0 0 * * * *"));
        for bad in [0, 1, 7, 45, 90, 420, 3000, 7200] {
            assert_eq!(poll_cron(bad), None, "{bad}");
        }
    }

    #[test]
    fn guesses_the_language_of_a_new_contact() {
        use crate::Language;
        assert_eq!(guess_language("Phòng 204 bị dột"), Some(Language::Vi));
        assert_eq!(guess_language("Cam on, phong dep"), None);
        assert_eq!(guess_language("房間很乾淨"), Some(Language::ZhHant));
        assert_eq!(guess_language("The room was great"), None);
    }
}
