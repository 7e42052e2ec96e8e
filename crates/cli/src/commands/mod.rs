//! One module per subcommand.

pub mod api_key;
pub mod check_config;
pub mod dev;
pub mod migrate;
pub mod tenant;
pub mod user;

use anyhow::Context;
use diesel::{Connection, PgConnection};
use guestcare_db::tenants::{self, Tenant};
use guestcare_domain::{
    TenantSlug,
    settings::{self, Settings},
    telemetry,
};
use secrecy::ExposeSecret;

/// Loads the configuration and installs logging.
pub fn load_settings() -> anyhow::Result<Settings> {
    let settings = settings::load().context("invalid configuration")?;
    telemetry::init(&settings.log);
    Ok(settings)
}

/// One direct connection to the configured database.
pub fn connect(settings: &Settings) -> anyhow::Result<PgConnection> {
    PgConnection::establish(settings.database.url.expose_secret())
        .context("cannot connect to the database (check database.url)")
}

/// The tenant with this slug, or an error naming it.
pub fn tenant_by_slug(conn: &mut PgConnection, slug: &TenantSlug) -> anyhow::Result<Tenant> {
    tenants::find_tenant_by_slug(conn, slug.as_str())?
        .with_context(|| format!("no tenant with slug `{slug}`"))
}
