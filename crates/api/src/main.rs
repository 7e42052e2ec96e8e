//! `guestcare-api`: serves the JSON REST API.
//!
//! Reads the configuration, checks that the schema is current (migrations are
//! `guestcare migrate`'s job, not this binary's), binds the socket, tells
//! systemd it is ready, and serves until SIGINT/SIGTERM, finishing in-flight
//! requests before exiting.

use std::{net::TcpListener, time::Duration};

use anyhow::Context;
use guestcare_api::{Signals, state::AppState};
use guestcare_db::{build_pool, migrations};
use guestcare_domain::{settings, telemetry};
use secrecy::ExposeSecret;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let settings = settings::load().context("invalid configuration")?;
    telemetry::init(&settings.log);
    let pool = build_pool(
        settings.database.url.expose_secret(),
        settings.database.pool_size,
        Duration::from_secs(settings.database.connect_timeout_secs),
    );
    warn_if_schema_behind(&pool);
    let listener = TcpListener::bind(settings.api.bind)
        .with_context(|| format!("cannot listen on {}", settings.api.bind))?;
    tracing::info!(address = %listener.local_addr()?, "guestcare-api listening");
    let state = AppState::new(pool, settings).context("cannot render the OpenAPI document")?;
    let server = guestcare_api::server(state, listener, Signals::Handle)?;
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
    server.await?;
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    tracing::info!("guestcare-api stopped");
    Ok(())
}

/// Logs (without failing) when the database is unreachable or behind; the
/// API still starts, and `/readyz` answers 503 until it is fixed.
fn warn_if_schema_behind(pool: &guestcare_db::PgPool) {
    match pool.get() {
        Ok(mut conn) => match migrations::pending_count(&mut conn) {
            Ok(0) => {}
            Ok(pending) => tracing::warn!(pending, "pending migrations: run `guestcare migrate`"),
            Err(error) => tracing::warn!(%error, "cannot read the migration state"),
        },
        Err(error) => tracing::warn!(%error, "database unreachable at start-up"),
    }
}
