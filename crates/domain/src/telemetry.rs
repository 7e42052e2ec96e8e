//! Process-wide log set-up shared by every binary.
//!
//! Logs carry ids (`tenant.id`, `guest.id`, `job.id`), never personal data:
//! no names, phone numbers, e-mail addresses, national IDs, tokens or bodies.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber: human-readable or JSON lines on stderr,
/// filtered by `RUST_LOG` if set, else by `log.filter`. Calling it twice is
/// harmless (the second call is ignored), which tests rely on.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match settings.format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(std::io::stderr),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_writer(std::io::stderr))
            .try_init(),
    };
}
