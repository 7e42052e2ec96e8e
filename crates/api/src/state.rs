//! What every handler can reach: the pool, the settings, the metrics and the
//! OpenAPI document.

use std::sync::Arc;

use guestcare_db::PgPool;
use guestcare_domain::{settings::Settings, signed_token::GuestLinks};

use crate::{fallback::RouteIndex, metrics::HttpMetrics};

/// Shared, cheaply cloned application state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub metrics: Arc<HttpMetrics>,
    /// Documented paths, to answer 405 rather than 404 for a wrong method.
    pub routes: Arc<RouteIndex>,
    /// The OpenAPI document, rendered once at start-up.
    pub openapi_json: Arc<String>,
}

impl AppState {
    /// Signs and checks the links guests follow (`/u/{token}`).
    pub fn guest_links(&self) -> GuestLinks {
        GuestLinks::new(
            &self.settings.security.master_key(),
            &self.settings.api.public_url,
        )
    }
}
