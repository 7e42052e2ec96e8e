//! `guestcare-worker`: runs queued jobs, schedules and the reaper.
//!
//! Under systemd (`Type=notify`) it reports `READY=1` once started, pings
//! the watchdog at half of `WatchdogSec` while its runtime is responsive,
//! and reports `STOPPING=1` on SIGTERM before draining in-flight jobs.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use guestcare_db::build_pool;
use guestcare_domain::{settings, telemetry};
use guestcare_worker::Worker;
use sd_notify::NotifyState;
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
        let _ = sd_notify::notify(&[NotifyState::Stopping]);
        let _ = stop.send(true);
    });
    let worker = Worker::start(Arc::new(settings), pool, shutdown.clone()).await?;
    if let Some(addr) = worker.metrics_addr {
        tracing::info!(%addr, "metrics served at /metrics");
    }
    let _ = sd_notify::notify(&[NotifyState::Ready]);
    tokio::spawn(watchdog(shutdown));
    worker.wait().await;
    Ok(())
}

/// Pings systemd's watchdog while the runtime schedules this task; a hung
/// runtime stops the pings and systemd restarts the worker.
async fn watchdog(mut shutdown: watch::Receiver<bool>) {
    let Some(timeout) = sd_notify::watchdog_enabled() else {
        return;
    };
    let period = timeout / 2;
    while !*shutdown.borrow() {
        let _ = sd_notify::notify(&[NotifyState::Watchdog]);
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            _ = shutdown.changed() => {}
        }
    }
}
