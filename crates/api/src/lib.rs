//! The guestcare JSON REST API (actix-web), served by `guestcare-api`.
//!
//! This crate owns HTTP: the route table, request extraction and validation,
//! authentication and role checks, problem documents, idempotency, paging,
//! the OpenAPI document, and request logs and metrics. Handlers call the
//! `guestcare-db` query functions directly inside one transaction, and
//! enqueue jobs in that same transaction; nothing is ever sent from here.

pub mod audit;
pub mod auth;
pub mod db;
pub mod error;
pub mod extract;
pub mod fallback;
pub mod idempotent;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod pagination;
pub mod public;
pub mod routes;
pub mod state;

use std::{net::TcpListener, sync::Arc};

use actix_web::{
    App, HttpServer,
    dev::{Server, ServiceFactory, ServiceRequest},
    middleware::{ErrorHandlers, from_fn},
    web,
};
use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};

use crate::{metrics::HttpMetrics, openapi::ApiDoc, state::AppState};

/// Registers every route on a utoipa-aware app.
fn with_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.configure(routes::root)
        .service(scope("/v1").configure(routes::v1))
}

/// The OpenAPI 3.1 document of every route.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    with_routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi()))
        .split_for_parts()
        .1
}

impl AppState {
    /// State for a server on `pool` with `settings`.
    pub fn new(pool: PgPool, settings: Settings) -> Result<AppState, serde_json::Error> {
        let document = openapi_document();
        Ok(AppState {
            pool,
            settings: Arc::new(settings),
            metrics: Arc::new(HttpMetrics::new()),
            routes: Arc::new(fallback::RouteIndex::from_openapi(&document)),
            openapi_json: Arc::new(document.to_json()?),
        })
    }
}

/// How the server reacts to SIGINT/SIGTERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signals {
    /// Stop gracefully on its own (the standalone `guestcare-api`).
    Handle,
    /// Leave signals to the caller, which stops the server through its handle
    /// (`guestcare dev`, tests).
    Ignore,
}

/// Builds the HTTP server on an already bound listener. Polling the returned
/// [`Server`] runs it; its handle stops it gracefully.
pub fn server(state: AppState, listener: TcpListener, signals: Signals) -> std::io::Result<Server> {
    let workers = match state.settings.api.workers {
        0 => std::thread::available_parallelism().map_or(2, usize::from),
        n => n,
    };
    let max_body = state.settings.api.max_body_bytes;
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        let app = App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(extract::path_config())
            .wrap(ErrorHandlers::new().default_handler(middleware::problem_fallback))
            .wrap(from_fn(middleware::observe))
            .into_utoipa_app();
        with_routes(app)
            .into_app()
            .default_service(web::to(fallback::no_route))
    })
    .listen(listener)?
    .workers(workers)
    .shutdown_timeout(30);
    if signals == Signals::Ignore {
        server = server.disable_signals();
    }
    Ok(server.run())
}
