//! The guestcare worker daemon, run by `guestcare-worker`.
//!
//! It owns everything that happens outside a request: running job bodies
//! (sending e-mail and SMS, delivering webhooks, polling IMAP mailboxes,
//! running care rules), the cron scheduler and the lease reaper, with their
//! transports. It claims work from the Postgres job table through
//! `guestcare-jobs` and never serves the API.

use std::sync::Arc;

use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;
use tokio::sync::watch;

/// Runs the worker until `shutdown` turns true, then returns once in-flight
/// work has finished (or the grace period has passed).
pub async fn run(
    settings: Arc<Settings>,
    pool: PgPool,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let _ = (&settings, &pool);
    tracing::info!("worker started");
    while !*shutdown.borrow() {
        if shutdown.changed().await.is_err() {
            break;
        }
    }
    tracing::info!("worker stopped");
    Ok(())
}
