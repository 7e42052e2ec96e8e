//! The route table: every endpoint of the API, registered through
//! `utoipa_actix_web` so that each one is also in the OpenAPI document.

pub mod api_keys;
pub mod assets;
pub mod audit;
pub mod automations;
pub mod campaigns;
pub mod care_settings;
pub mod channels;
pub mod contact_plans;
pub mod greeting_rules;
pub mod guests;
pub mod health;
pub mod holidays;
pub mod imports;
pub mod jobs;
pub mod mailboxes;
pub mod messages;
pub mod occasions;
pub mod reminders;
pub mod schedules;
pub mod segments;
pub mod sessions;
pub mod surveys;
pub mod tasks;
pub mod templates;
pub mod tenant;
pub mod tickets;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Endpoints outside `/v1`: probes, metrics, the OpenAPI document and docs,
/// hosted e-mail images (`/a/{tenant}/{token}`), guests' pages
/// (`/u/{token}`, `/s/{token}`, `/q/{token}`) and campaign links (`/c/{token}`,
/// `/o/{token}`).
pub fn root(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    assets::configure_public(cfg);
    crate::public::unsubscribe::configure(cfg);
    crate::public::satisfaction::configure(cfg);
    crate::public::survey::configure(cfg);
    crate::public::tracking::configure(cfg);
}

/// Everything under `/v1`.
pub fn v1(cfg: &mut ServiceConfig) {
    sessions::configure(cfg);
    tenant::configure(cfg);
    users::configure(cfg);
    api_keys::configure(cfg);
    audit::configure(cfg);
    holidays::configure(cfg);
    occasions::configure(cfg);
    greeting_rules::configure(cfg);
    care_settings::configure(cfg);
    guests::configure(cfg);
    imports::configure(cfg);
    segments::configure(cfg);
    campaigns::configure(cfg);
    jobs::configure(cfg);
    schedules::configure(cfg);
    reminders::configure(cfg);
    automations::configure(cfg);
    contact_plans::configure(cfg);
    tasks::configure(cfg);
    tickets::configure(cfg);
    templates::configure(cfg);
    assets::configure(cfg);
    messages::configure(cfg);
    channels::configure(cfg);
    mailboxes::configure(cfg);
    webhooks::configure(cfg);
    surveys::configure(cfg);
}
