//! The status machine of a ticket.
//!
//! ```text
//! new ──► open ◄──► pending_guest        (any open state) ──► resolved ──► closed
//!            ▲                                    ▲              │           │
//!            └──────────── reopened ◄─────────────┴──────────────┴───────────┘
//! ```
//! `new`, `open`, `pending_guest` and `reopened` are open states: each may
//! move to another open state (but never back to `new`), to `resolved` or to
//! `closed`. `resolved` may be closed or reopened; `closed` only reopened.

use super::TicketStatus;

impl TicketStatus {
    /// Whether the team still owes the guest something.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketStatus::New
                | TicketStatus::Open
                | TicketStatus::PendingGuest
                | TicketStatus::Reopened
        )
    }

    /// Whether a ticket in `self` may move to `to` (never to itself).
    pub fn can_move_to(self, to: TicketStatus) -> bool {
        use TicketStatus::{Closed, New, Open, PendingGuest, Reopened, Resolved};
        if self == to {
            return false;
        }
        match self {
            New | Open | PendingGuest | Reopened => {
                matches!(to, Open | PendingGuest | Resolved | Closed)
            }
            Resolved => matches!(to, Closed | Reopened),
            Closed => to == Reopened,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::{self, *};

    #[test]
    fn transitions_follow_the_machine() {
        assert!(New.can_move_to(Open));
        assert!(Open.can_move_to(PendingGuest));
        assert!(PendingGuest.can_move_to(Open));
        assert!(Reopened.can_move_to(Resolved));
        assert!(Resolved.can_move_to(Reopened));
        assert!(Closed.can_move_to(Reopened));
        assert!(!Open.can_move_to(New));
        assert!(!New.can_move_to(Reopened));
        assert!(!Closed.can_move_to(Open));
        assert!(!Resolved.can_move_to(PendingGuest));
        for s in TicketStatus::ALL {
            assert!(!s.can_move_to(*s));
            assert_eq!(s.is_open(), !matches!(s, Resolved | Closed));
        }
    }
}
