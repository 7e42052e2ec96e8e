//! The Postgres side of guestcare: the diesel schema, row models, query
//! functions named `verb_noun(conn, ...)`, the embedded migrations, the
//! connection pool, and the private cluster used by `guestcare dev` and the
//! test suite.
//!
//! Every query on tenant data takes the tenant id and filters on it, so a
//! caller cannot read across tenants by passing a foreign object id: the row
//! is simply not found. Functions return diesel results and know nothing of
//! HTTP; transactions are the caller's to open.

pub mod assets;
pub mod audit;
pub mod automations;
pub mod campaigns;
pub mod care;
pub mod channel_settings;
pub mod cluster;
pub mod consents;
pub mod contact_plans;
pub mod credentials;
pub mod guest_dates;
pub mod guests;
pub mod idempotency;
pub mod imports;
pub mod inbound;
pub mod jobs;
pub mod login_failures;
pub mod mailboxes;
pub mod messages;
pub mod migrations;
pub mod occasions;
pub mod page;
pub mod pool;
pub mod reminders;
pub mod schema;
pub mod segments;
pub mod stays;
pub mod suppressions;
pub mod surveys;
pub mod tasks;
pub mod templates;
pub mod tenants;
pub mod tickets;
pub mod tiers;
pub mod timeline;
pub mod users;
pub mod webhooks;

pub use diesel::{PgConnection, result::Error as DbError};
pub use page::{Cursor, Page};
pub use pool::{PgPool, PooledConn, build_pool};

/// A new time-ordered id (UUIDv7): keys sort by creation time, which keyset
/// pagination relies on.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
