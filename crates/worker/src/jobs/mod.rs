//! Job bodies, one module per kind, and the registry that maps kinds to them.

pub mod probe;

use std::time::Duration;

use guestcare_domain::settings::Settings;
use guestcare_jobs::Registry;

/// Every job kind this worker runs.
pub fn registry(settings: &Settings) -> Registry {
    let _ = settings;
    let mut registry = Registry::new();
    registry.register(probe::KIND, Duration::from_secs(60), probe::run);
    registry
}
