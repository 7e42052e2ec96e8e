//! Guest-facing HTML pages (unsubscribe confirmations, survey forms,
//! satisfaction ratings): small, accessible, mobile-friendly, in the guest's
//! language, and working without JavaScript.
//!
//! Pages are served under `/u/…` (unsubscribe), `/s/…` (a ticket's
//! satisfaction rating) and `/q/…` (survey questionnaires) outside `/v1`, reached by
//! signed links (`guestcare_domain::signed_token`). Opening a link never
//! changes anything (mail scanners follow links); only a form POST does.

mod layout;
pub mod satisfaction;
pub mod survey;
pub mod tracking;
pub mod unsubscribe;

pub use layout::{GuestPage, Localized, Markup, escape, page};
