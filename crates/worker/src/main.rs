//! `guestcare-worker`: runs queued jobs, schedules and the reaper.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use guestcare_db::build_pool;
use guestcare_domain::{settings, telemetry};
use secrecy::ExposeSecret;
use tokio::{
    signal::unix::{SignalKind, signal},
    sync::watch,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = settings::load().context("invalid configuration")?;
    telemetry::init(&settings.log);
    let pool = build_pool(
        settings.database.url.expose_secret(),
        settings.database.pool_size,
        Duration::from_secs(settings.database.connect_timeout_secs),
    );
    let (stop, shutdown) = watch::channel(false);
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutdown requested");
        let _ = stop.send(true);
    });
    guestcare_worker::run(Arc::new(settings), pool, shutdown).await
}
