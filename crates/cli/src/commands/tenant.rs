//! `guestcare tenant create`.

use std::process::ExitCode;

use anyhow::bail;
use diesel::PgConnection;
use guestcare_db::{
    new_id,
    tenants::{self, NewTenant, Tenant},
};
use guestcare_domain::{Country, Language, TenantSlug, TimeZone, bounded_text};

pub fn create(
    slug: &TenantSlug,
    name: &str,
    country: Country,
    time_zone: TimeZone,
    language: Language,
) -> anyhow::Result<ExitCode> {
    let settings = super::load_settings()?;
    let mut conn = super::connect(&settings)?;
    if tenants::find_tenant_by_slug(&mut conn, slug.as_str())?.is_some() {
        bail!("a tenant with slug `{slug}` already exists");
    }
    let tenant = insert(&mut conn, slug, name, country, time_zone, language)?;
    println!("{}", tenant.id);
    Ok(ExitCode::SUCCESS)
}

/// Inserts a tenant after checking its name.
pub fn insert(
    conn: &mut PgConnection,
    slug: &TenantSlug,
    name: &str,
    country: Country,
    time_zone: TimeZone,
    language: Language,
) -> anyhow::Result<Tenant> {
    let name = bounded_text(name, 1, 200).map_err(|e| e.at("name"))?;
    Ok(tenants::insert_tenant(
        conn,
        &NewTenant {
            id: new_id(),
            slug: slug.as_str(),
            name: &name,
            country: country.as_str(),
            default_language: language.as_str(),
            time_zone: time_zone.name(),
        },
    )?)
}
