//! E-mail campaigns: one text in several languages to an audience of
//! guests. This module holds the rules that need no database: the
//! lifecycle ([`Status`]), the audience ([`Audience`], turned into one
//! segment [`Filter`](crate::segment::Filter)), the language variants
//! ([`Variants`]) and the tracked links and open pixel put into their HTML
//! ([`tracking`]). Storage and sending live in `guestcare_db::campaigns`.

mod audience;
pub mod tracking;
mod variants;

use std::{fmt, str::FromStr};

pub use audience::{Audience, Selection};
pub use variants::{Variant, Variants, choose_variant, validate_variants};

use crate::FieldError;

/// Where a campaign is in its life. Allowed moves:
/// draft → scheduled → sending → sent, sending ⇄ paused, and any state
/// before sent → cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Scheduled,
    Sending,
    Paused,
    Sent,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Scheduled,
        Status::Sending,
        Status::Paused,
        Status::Sent,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Sending => "sending",
            Status::Paused => "paused",
            Status::Sent => "sent",
            Status::Cancelled => "cancelled",
        }
    }

    /// Whether a campaign in this state may move to `next`.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Draft, Scheduled)
                | (Scheduled, Sending)
                | (Sending, Paused)
                | (Paused, Sending)
                | (Sending, Sent)
                | (Draft | Scheduled | Sending | Paused, Cancelled)
        )
    }

    /// The states from which a campaign may move to `next`.
    pub fn sources_of(next: Status) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|s| s.can_become(next))
            .collect()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| FieldError::new("invalid_status", "Unknown campaign status."))
    }
}

/// How many recipients one dispatch step hands to the message path, and
/// how long the next step waits, for a rate in messages per minute: steps
/// of about five seconds' worth (1–500 recipients), so pausing acts within
/// one step and the rate holds over any minute.
pub fn step_for_rate(per_minute: u32) -> (u32, std::time::Duration) {
    let batch = (per_minute / 12).clamp(1, 500);
    let millis = u64::from(batch) * 60_000 / u64::from(per_minute.max(1));
    (batch, std::time::Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_moves() {
        assert!(Status::Draft.can_become(Status::Scheduled));
        assert!(Status::Sending.can_become(Status::Paused));
        assert!(Status::Paused.can_become(Status::Sending));
        assert!(!Status::Draft.can_become(Status::Sending));
        assert!(!Status::Sent.can_become(Status::Cancelled));
        assert!(!Status::Cancelled.can_become(Status::Sending));
        assert_eq!(Status::sources_of(Status::Paused), vec![Status::Sending]);
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().ok(), Some(s));
        }
    }

    #[test]
    fn steps_hold_the_rate() {
        let (batch, wait) = step_for_rate(600);
        assert_eq!(batch, 50);
        assert_eq!(wait.as_secs(), 5);
        let (batch, wait) = step_for_rate(6);
        assert_eq!(batch, 1);
        assert_eq!(wait.as_secs(), 10);
        let (batch, wait) = step_for_rate(1_000_000);
        assert_eq!(batch, 500);
        assert_eq!(wait.as_millis(), 30);
    }
}
