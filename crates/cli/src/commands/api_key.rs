//! `guestcare api-key create|revoke`.

use std::process::ExitCode;

use anyhow::{Context, anyhow};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use guestcare_api::auth::issue;
use guestcare_db::{credentials, schema::api_keys};
use guestcare_domain::{Role, TenantSlug};
use uuid::Uuid;

pub fn create(tenant: &TenantSlug, name: &str, role: Role) -> anyhow::Result<ExitCode> {
    let settings = super::load_settings()?;
    let mut conn = super::connect(&settings)?;
    let tenant = super::tenant_by_slug(&mut conn, tenant)?;
    let (key, token) = issue::create_api_key(&mut conn, tenant.id, name, role, None)
        .map_err(|e| anyhow!("{e}"))?;
    eprintln!(
        "created API key {} ({role}); the secret below is shown only once",
        key.prefix
    );
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

pub fn revoke(tenant: &TenantSlug, prefix: &str) -> anyhow::Result<ExitCode> {
    let settings = super::load_settings()?;
    let mut conn = super::connect(&settings)?;
    let tenant = super::tenant_by_slug(&mut conn, tenant)?;
    let id: Uuid = api_keys::table
        .filter(api_keys::tenant_id.eq(tenant.id))
        .filter(api_keys::prefix.eq(prefix))
        .select(api_keys::id)
        .first(&mut conn)
        .with_context(|| format!("no API key `{prefix}` in this tenant"))?;
    credentials::revoke_api_key(&mut conn, tenant.id, id)?;
    println!("revoked {prefix}");
    Ok(ExitCode::SUCCESS)
}
