//! Tenants' channel settings as this worker last read them.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use diesel::{PgConnection, QueryResult};
use guestcare_db::channel_settings::{self, ChannelSettings};
use uuid::Uuid;

/// When a tenant's settings were read, and what they were.
type Entry = (Instant, Option<Arc<ChannelSettings>>);

/// Each tenant's channel settings, kept for `ttl` after they were read so
/// that a burst of sends reads them once. A change made through the API
/// reaches sends within `ttl`.
#[derive(Debug)]
pub struct SettingsCache {
    ttl: Duration,
    entries: Mutex<HashMap<Uuid, Entry>>,
}

impl SettingsCache {
    pub fn new(ttl: Duration) -> SettingsCache {
        SettingsCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The tenant's settings (`None`: it has none of its own), read from
    /// the database when not cached or older than the time to live.
    pub fn get(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
    ) -> QueryResult<Option<Arc<ChannelSettings>>> {
        if let Some((read_at, settings)) = self.lock().get(&tenant_id)
            && read_at.elapsed() < self.ttl
        {
            return Ok(settings.clone());
        }
        let settings = channel_settings::get_channel_settings(conn, tenant_id)?.map(Arc::new);
        self.lock()
            .insert(tenant_id, (Instant::now(), settings.clone()));
        Ok(settings)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Entry>> {
        // A panic while holding the lock leaves a map that is still valid.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
