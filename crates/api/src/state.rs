//! What every handler can reach: the pool, the settings, the metrics and the
//! OpenAPI document.

use std::sync::Arc;

use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;

use crate::metrics::HttpMetrics;

/// Shared, cheaply cloned application state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub metrics: Arc<HttpMetrics>,
    /// The OpenAPI document, rendered once at start-up.
    pub openapi_json: Arc<String>,
}
