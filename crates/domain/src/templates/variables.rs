//! Which variables each purpose provides. The shared objects are documented
//! on [`Context`](super::Context); `extra` holds the purpose's own fields:
//!
//! | purpose | `extra` fields |
//! | --- | --- |
//! | promotion | `offer_title`, `offer_url`, `voucher_code`, `valid_until` (date), `unsubscribe_url` |
//! | holiday_greeting | `unsubscribe_url` (and the `occasion` object) |
//! | birthday | `voucher_code`, `valid_until` (date), `unsubscribe_url` |
//! | feedback_acknowledgement | `reference` |
//! | survey_invitation | `survey_url`, `valid_until` (date), `unsubscribe_url`, `survey_title`, `survey_reference` (for the subject, e.g. `S-7KQ2M4`), `reply_form` (plain text: how to answer by e-mail and the numbered questions), `reminder` (true on a reminder) |
//! | reminder | `booking_reference`, `check_in` (date), `check_out` (date) |
//! | ticket_reply | `ticket_number`, `reply`, `agent_name` |
//! | satisfaction_survey | `survey_url`, `ticket_number` |
//! | booking_confirmation | `booking_reference`, `check_in`, `check_out` (dates), `nights`, `room_type`, `total` (number), `currency` (ISO 4217) |
//! | staff_digest | `recipient_name`, `digest_date` (date), `new_tickets`, `overdue_tickets`, `new_feedback`, `dashboard_url`, `birthdays` (list of `date`, `name`, `code`), `open_tasks` (number), `tasks` (list of `due_on`, `title`) |

use super::Purpose;

/// Fields of `guest`.
pub(super) const GUEST_FIELDS: &[&str] =
    &["full_name", "given_name", "family_name", "code", "language"];
/// Fields of `tenant`.
pub(super) const TENANT_FIELDS: &[&str] = &["name", "phone", "email", "website", "address"];
/// Fields of `occasion`.
pub(super) const OCCASION_FIELDS: &[&str] = &["key", "name", "date"];
/// Functions and names minijinja provides itself.
pub(super) const BUILTIN_NAMES: &[&str] = &["range", "dict", "namespace", "loop", "language"];

/// The `extra` fields a purpose provides.
pub fn allowed_extra(purpose: Purpose) -> &'static [&'static str] {
    match purpose {
        Purpose::Promotion => &[
            "offer_title",
            "offer_url",
            "voucher_code",
            "valid_until",
            "unsubscribe_url",
        ],
        Purpose::HolidayGreeting => &["unsubscribe_url"],
        Purpose::Birthday => &["voucher_code", "valid_until", "unsubscribe_url"],
        Purpose::FeedbackAcknowledgement => &["reference"],
        Purpose::SurveyInvitation => &[
            "survey_url",
            "valid_until",
            "unsubscribe_url",
            "survey_title",
            "survey_reference",
            "reply_form",
            "reminder",
        ],
        Purpose::Reminder => &[
            "booking_reference",
            "check_in",
            "check_out",
            "rule_name",
            "anchor_date",
        ],
        Purpose::TicketReply => &["ticket_number", "reply", "agent_name"],
        Purpose::SatisfactionSurvey => &["survey_url", "ticket_number"],
        Purpose::BookingConfirmation => &[
            "booking_reference",
            "check_in",
            "check_out",
            "nights",
            "room_type",
            "total",
            "currency",
        ],
        Purpose::StaffDigest => &[
            "recipient_name",
            "digest_date",
            "new_tickets",
            "overdue_tickets",
            "new_feedback",
            "dashboard_url",
            "birthdays",
            "open_tasks",
            "tasks",
        ],
    }
}

/// Whether the purpose is about one guest (everything but the staff digest).
pub fn has_guest(purpose: Purpose) -> bool {
    purpose != Purpose::StaffDigest
}

/// Whether the purpose provides `occasion`.
pub fn has_occasion(purpose: Purpose) -> bool {
    purpose == Purpose::HolidayGreeting
}

/// Why `name` (a root variable or a dotted `root.field` path as minijinja's
/// undeclared-variable analysis reports it) is not available to `purpose`, or
/// `None` if it is.
pub(super) fn unknown_reason(purpose: Purpose, name: &str) -> Option<String> {
    let (root, field) = match name.split_once('.') {
        Some((root, rest)) => (root, rest.split('.').next()),
        None => (name, None),
    };
    let fields: &[&str] = match root {
        "guest" if has_guest(purpose) => GUEST_FIELDS,
        "tenant" => TENANT_FIELDS,
        "occasion" if has_occasion(purpose) => OCCASION_FIELDS,
        "extra" => allowed_extra(purpose),
        _ if field.is_none() && BUILTIN_NAMES.contains(&root) => return None,
        _ => {
            return Some(format!(
                "Unknown variable `{root}` for {purpose} templates."
            ));
        }
    };
    match field {
        Some(field) if !fields.contains(&field) => Some(format!(
            "Unknown variable `{root}.{field}` for {purpose} templates; use one of {}.",
            fields
                .iter()
                .map(|f| format!("{root}.{f}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_purpose() {
        assert_eq!(unknown_reason(Purpose::Birthday, "guest.full_name"), None);
        assert_eq!(unknown_reason(Purpose::Birthday, "tenant"), None);
        assert!(unknown_reason(Purpose::Birthday, "guest.fullname").is_some());
        assert!(unknown_reason(Purpose::Birthday, "occasion.name").is_some());
        assert_eq!(
            unknown_reason(Purpose::HolidayGreeting, "occasion.date"),
            None
        );
        assert!(unknown_reason(Purpose::StaffDigest, "guest.full_name").is_some());
        assert_eq!(
            unknown_reason(Purpose::TicketReply, "extra.ticket_number"),
            None
        );
        assert!(unknown_reason(Purpose::Reminder, "extra.ticket_number").is_some());
        assert!(unknown_reason(Purpose::Reminder, "secret").is_some());
    }
}
