//! Pure domain types and rules of guestcare.
//!
//! This crate owns the vocabulary every other crate speaks: newtypes that parse
//! and validate (e-mail addresses, languages, countries, time zones, tenant
//! slugs), staff roles and what they may do, the validation error shape, text
//! normalisation for Vietnamese and Chinese, message templates (purposes,
//! rendering, validation, built-in texts, SMS segments), the typed configuration and the
//! log set-up every binary shares.
//!
//! It must not talk to a database, a network or an async runtime: no diesel, no
//! actix, no tokio. Apart from reading config files and installing the log
//! subscriber at start-up, everything here is plain data and functions.

pub mod campaigns;
pub mod care;
pub mod channels;
pub mod country;
pub mod email;
pub mod guest;
pub mod holidays;
pub mod inbound;
pub mod intake;
pub mod language;
pub mod lunar;
pub mod phone;
pub mod reminders;
pub mod role;
pub mod sealed;
pub mod segment;
pub mod settings;
pub mod signed_token;
pub mod surveys;
pub mod telemetry;
pub mod templates;
pub mod tenant;
pub mod text;
pub mod tickets;
pub mod validation;

pub use country::Country;
pub use email::Email;
pub use language::Language;
pub use phone::Phone;
pub use role::{Permission, Role};
pub use tenant::{TenantSlug, TimeZone};
pub use validation::{AllValid, FieldError, ValidationErrors, bounded_text};
