//! `guestcare user create`.

use std::process::ExitCode;

use anyhow::anyhow;
use base64::Engine;
use guestcare_api::auth::issue;
use guestcare_domain::{Email, Role, TenantSlug, bounded_text};
use rand::Rng;

pub fn create(
    tenant: &TenantSlug,
    email: &Email,
    name: &str,
    role: Role,
) -> anyhow::Result<ExitCode> {
    let settings = super::load_settings()?;
    let mut conn = super::connect(&settings)?;
    let tenant = super::tenant_by_slug(&mut conn, tenant)?;
    let name = bounded_text(name, 1, 200).map_err(|e| e.at("name"))?;
    let (password, generated) = match std::env::var("GUESTCARE_PASSWORD") {
        Ok(password) => (password, false),
        Err(_) => (generate_password(), true),
    };
    let user = issue::create_user(&mut conn, tenant.id, email, &name, role, &password)
        .map_err(|e| anyhow!("{e}"))?;
    println!("{}", user.id);
    if generated {
        eprintln!("generated password (shown once): {password}");
    }
    Ok(ExitCode::SUCCESS)
}

/// 18 random bytes as URL-safe base64: 24 characters.
pub fn generate_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
