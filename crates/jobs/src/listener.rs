//! Wake-up by LISTEN/NOTIFY.
//!
//! The `jobs_notify` trigger sends the queue's name on the `guestcare_jobs`
//! channel when jobs are inserted (delivered at commit). One listener per
//! process holds its own connection (outside the pool: LISTEN belongs to a
//! session) and wakes the runner of that queue. Polling stays the fallback:
//! a lost notification, or a job whose `run_at` arrives later, is found by
//! the runner's next poll.
//!
//! diesel reads notifications without blocking, so the listener checks its
//! socket every [`CHECK_INTERVAL`] on a blocking thread: a `recv` that
//! usually finds nothing, not a query. When the connection breaks (Postgres
//! restarted), it reconnects with capped backoff and wakes every runner once,
//! since notifications sent meanwhile are gone.

use std::{collections::HashMap, sync::Arc, time::Duration};

use diesel::{Connection, PgConnection, RunQueryDsl};
use tokio::sync::{Notify, watch};

/// The channel the `jobs_notify` trigger notifies on.
pub const CHANNEL: &str = "guestcare_jobs";

/// How often the listener looks for notifications on its socket.
pub const CHECK_INTERVAL: Duration = Duration::from_millis(2);

const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(10);

/// The runners to wake, by queue name.
pub type Wakers = HashMap<String, Arc<Notify>>;

/// Listens until `shutdown` turns true. Run it with
/// `tokio::task::spawn_blocking`: it blocks its thread.
pub fn listen(database_url: &str, wakers: &Wakers, shutdown: &watch::Receiver<bool>) {
    let mut delay = Duration::from_millis(100);
    while !*shutdown.borrow() {
        match connect(database_url) {
            Ok(mut conn) => {
                delay = Duration::from_millis(100);
                wake_all(wakers);
                if let Err(error) = relay(&mut conn, wakers, shutdown) {
                    tracing::warn!(%error, "job listener lost its connection; reconnecting");
                }
            }
            Err(error) => {
                tracing::warn!(%error, retry_in_ms = delay.as_millis() as u64, "job listener cannot connect");
                std::thread::sleep(delay);
                delay = (delay * 2).min(MAX_RECONNECT_DELAY);
            }
        }
    }
}

fn connect(database_url: &str) -> Result<PgConnection, String> {
    let mut conn = PgConnection::establish(database_url).map_err(|e| e.to_string())?;
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(&mut conn)
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Wakes runners for notifications until the connection fails or shutdown.
fn relay(
    conn: &mut PgConnection,
    wakers: &Wakers,
    shutdown: &watch::Receiver<bool>,
) -> Result<(), diesel::result::Error> {
    while !*shutdown.borrow() {
        for notification in conn.notifications_iter() {
            let notification = notification?;
            if let Some(waker) = wakers.get(&notification.payload) {
                waker.notify_one();
            }
        }
        std::thread::sleep(CHECK_INTERVAL);
    }
    Ok(())
}

fn wake_all(wakers: &Wakers) {
    for waker in wakers.values() {
        waker.notify_one();
    }
}
