//! The embedded diesel migrations from the workspace's `migrations/` folder.
//!
//! Migrations run only from `guestcare migrate` (and `guestcare dev`), never
//! implicitly when the API or the worker starts; those only check that the
//! schema is current.

use diesel::PgConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies every pending migration, each in its own transaction; returns the
/// versions applied.
pub fn run_pending(conn: &mut PgConnection) -> Result<Vec<String>, MigrationError> {
    let applied = conn.run_pending_migrations(MIGRATIONS)?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// How many embedded migrations the database has not applied yet.
pub fn pending_count(conn: &mut PgConnection) -> Result<usize, MigrationError> {
    Ok(conn.pending_migrations(MIGRATIONS)?.len())
}

/// Reverts every applied migration, newest first (used to prove each
/// `down.sql` really reverses its `up.sql`).
pub fn revert_all(conn: &mut PgConnection) -> Result<Vec<String>, MigrationError> {
    let reverted = conn.revert_all_migrations(MIGRATIONS)?;
    Ok(reverted.iter().map(ToString::to_string).collect())
}
