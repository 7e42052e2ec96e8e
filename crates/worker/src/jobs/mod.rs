//! Job bodies, one module per kind, and the registry that maps kinds to them.

use guestcare_domain::settings::Settings;
use guestcare_jobs::Registry;

/// Every job kind this worker runs.
pub fn registry(settings: &Settings) -> Registry {
    let _ = settings;
    Registry::new()
}
