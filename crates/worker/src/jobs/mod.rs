//! Job bodies, one module per kind, and the registry that maps kinds to them.

pub mod import_guests;
pub mod probe;

use std::{sync::Arc, time::Duration};

use guestcare_db::guests::GuestKeys;
use guestcare_domain::settings::Settings;
use guestcare_jobs::Registry;

/// The longest an import attempt may run (100 000 rows take minutes).
const IMPORT_TIMEOUT: Duration = Duration::from_secs(4 * 60 * 60);

/// Every job kind this worker runs.
pub fn registry(settings: &Settings) -> Registry {
    let mut registry = Registry::new();
    registry.register(probe::KIND, Duration::from_secs(60), probe::run);
    let keys = Arc::new(GuestKeys::new(&settings.security.master_key()));
    let lease = Duration::from_secs(settings.worker.lease_secs);
    registry.register(import_guests::KIND, IMPORT_TIMEOUT, move |ctx| {
        import_guests::run(ctx, keys.clone(), lease)
    });
    registry
}
