//! Tickets: what a guest asked or complained about and how the team answers.
//! The vocabulary (channel, category, priority, status and its transitions,
//! complaint types and outcomes, satisfaction ratings), the ticket number and
//! its subject token (`[#T-1234]`), and the complaint clocks
//! ([`clock`]). Pure rules; storage is `guestcare_db::tickets`.

pub mod clock;
mod evidence;
mod number;
mod status;

pub use evidence::{MAX_EVIDENCE_BYTES, evidence_digest, evidence_type};
pub use number::{TicketNumber, number_in_subject};

use std::str::FromStr;

use crate::{FieldError, care::tasks::vocabulary};

vocabulary!(
    /// How the guest reached the hotel.
    TicketChannel, "invalid_channel" {
        Email => "email",
        Phone => "phone",
        WalkIn => "walk_in",
        WebForm => "web_form",
        Chat => "chat",
        Zalo => "zalo",
        Facebook => "facebook",
        Post => "post",
        Api => "api",
    }
);

vocabulary!(
    /// What the ticket is about; complaints run clocks.
    TicketCategory, "invalid_category" {
        Inquiry => "inquiry",
        Feedback => "feedback",
        Complaint => "complaint",
        Request => "request",
        Booking => "booking",
    }
);

vocabulary!(
    /// How urgent the ticket is.
    Priority, "invalid_priority" {
        Low => "low",
        Normal => "normal",
        High => "high",
        Urgent => "urgent",
    }
);

vocabulary!(
    /// Where the ticket is in its life; see [`TicketStatus::can_move_to`].
    TicketStatus, "invalid_status" {
        New => "new",
        Open => "open",
        PendingGuest => "pending_guest",
        Resolved => "resolved",
        Closed => "closed",
        Reopened => "reopened",
    }
);

vocabulary!(
    /// What a complaint is about, which decides its window.
    ComplaintType, "invalid_complaint_type" {
        ServiceQuality => "service_quality",
        Business => "business",
    }
);

vocabulary!(
    /// How a complaint ended.
    FinalOutcome, "invalid_outcome" {
        Resolved => "resolved",
        Mediated => "mediated",
        EscalatedToAuthority => "escalated_to_authority",
    }
);

vocabulary!(
    /// The guest's satisfaction with how the ticket was handled.
    Rating, "invalid_rating" {
        Excellent => "excellent",
        Good => "good",
        Fair => "fair",
        Poor => "poor",
    }
);

/// The departments a tenant starts with (configurable per tenant).
pub const DEFAULT_DEPARTMENTS: &[&str] = &[
    "front_desk",
    "housekeeping",
    "food_beverage",
    "sales",
    "accounting",
    "technical",
];

/// A department key: 1–32 of `a-z`, `0-9`, `_`.
pub fn is_department_key(key: &str) -> bool {
    (1..=32).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_parse_their_own_words() {
        assert_eq!(
            "walk_in".parse::<TicketChannel>().unwrap(),
            TicketChannel::WalkIn
        );
        assert_eq!("poor".parse::<Rating>().unwrap(), Rating::Poor);
        assert_eq!(
            "fax".parse::<TicketChannel>().unwrap_err().code,
            "invalid_channel"
        );
        assert!(DEFAULT_DEPARTMENTS.iter().all(|d| is_department_key(d)));
        assert!(!is_department_key("Front Desk"));
        assert!(!is_department_key(""));
    }
}
