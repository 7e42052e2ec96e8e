//! Loading and validating [`Settings`].

use std::path::Path;

use base64::Engine;
use config::{Config, Environment, File, FileFormat};
use secrecy::ExposeSecret;

use super::Settings;

/// Why the configuration cannot be used. The message always names the key.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Parse(#[from] config::ConfigError),
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
}

/// Loads settings from `config/` (or `$GUESTCARE_CONFIG_DIR`) for the
/// environment named by `$GUESTCARE_ENV` (default `development`).
pub fn load() -> Result<Settings, SettingsError> {
    let dir = std::env::var("GUESTCARE_CONFIG_DIR").unwrap_or_else(|_| "config".to_owned());
    let env = std::env::var("GUESTCARE_ENV").unwrap_or_else(|_| "development".to_owned());
    load_from(Path::new(&dir), &env)
}

/// Loads `dir/default.toml`, then `dir/{env}.toml` if present, then the
/// `GUESTCARE__SECTION__KEY` environment variables, and validates the result.
pub fn load_from(dir: &Path, env: &str) -> Result<Settings, SettingsError> {
    let settings: Settings = Config::builder()
        .add_source(File::from(dir.join("default.toml")).format(FileFormat::Toml))
        .add_source(
            File::from(dir.join(format!("{env}.toml")))
                .format(FileFormat::Toml)
                .required(false),
        )
        .add_source(
            Environment::with_prefix("GUESTCARE")
                .prefix_separator("__")
                .separator("__")
                .list_separator(",")
                .with_list_parse_key("security.webhook_allow_hosts")
                .try_parsing(true),
        )
        .build()?
        .try_deserialize()?;
    validate(&settings)?;
    Ok(settings)
}

fn invalid(key: &'static str, message: impl Into<String>) -> SettingsError {
    SettingsError::Invalid {
        key,
        message: message.into(),
    }
}

fn validate(settings: &Settings) -> Result<(), SettingsError> {
    let url = settings.database.url.expose_secret();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(invalid(
            "database.url",
            "must be a postgres:// URL (set GUESTCARE__DATABASE__URL)",
        ));
    }
    if settings.database.pool_size == 0 {
        return Err(invalid("database.pool_size", "must be at least 1"));
    }
    if !(settings.api.public_url.starts_with("http://")
        || settings.api.public_url.starts_with("https://"))
    {
        return Err(invalid(
            "api.public_url",
            "must start with http:// or https://",
        ));
    }
    if settings.api.max_body_bytes < 1024 {
        return Err(invalid("api.max_body_bytes", "must be at least 1024"));
    }
    if settings.api.max_import_bytes < 1024 {
        return Err(invalid("api.max_import_bytes", "must be at least 1024"));
    }
    if settings.templates.max_asset_bytes < 1024 {
        return Err(invalid(
            "templates.max_asset_bytes",
            "must be at least 1024",
        ));
    }
    if !(settings.templates.sms_segment_price.is_finite()
        && settings.templates.sms_segment_price >= 0.0)
    {
        return Err(invalid(
            "templates.sms_segment_price",
            "must be a number of 0 or more",
        ));
    }
    let inbound = &settings.inbound;
    if inbound.max_message_bytes < 1024 || inbound.fetch_batch == 0 || inbound.max_parts == 0 {
        return Err(invalid(
            "inbound",
            "max_message_bytes must be at least 1024, fetch_batch and max_parts at least 1",
        ));
    }
    if inbound.idle_secs >= settings.worker.lease_secs {
        return Err(invalid(
            "inbound.idle_secs",
            "must be below worker.lease_secs (a poll in IDLE must keep its job's lease)",
        ));
    }
    if inbound.ack_window_hours < 0 || inbound.soft_bounce_threshold < 1 {
        return Err(invalid(
            "inbound",
            "ack_window_hours must be 0 or more, soft_bounce_threshold at least 1",
        ));
    }
    let key = base64::engine::general_purpose::STANDARD
        .decode(settings.security.secret_key.expose_secret().trim())
        .map_err(|_| {
            invalid(
                "security.secret_key",
                "must be base64 (generate one with `openssl rand -base64 32` and set GUESTCARE__SECURITY__SECRET_KEY)",
            )
        })?;
    if key.len() < 32 {
        return Err(invalid(
            "security.secret_key",
            "must decode to at least 32 bytes (set GUESTCARE__SECURITY__SECRET_KEY)",
        ));
    }
    if settings.worker.lease_secs < 5 {
        return Err(invalid("worker.lease_secs", "must be at least 5"));
    }
    if settings.worker.queues.values().any(|&n| n == 0) {
        return Err(invalid(
            "worker.queues",
            "every queue needs a concurrency of at least 1",
        ));
    }
    let hours = settings.worker.webhook_disable_after_hours;
    if !hours.is_finite() || hours <= 0.0 {
        return Err(invalid(
            "worker.webhook_disable_after_hours",
            "must be a positive number of hours",
        ));
    }
    if settings.mail.host.trim().is_empty() || settings.mail.host.contains(['@', '<', '>', ' ']) {
        return Err(invalid(
            "mail.host",
            "must be a host name such as mail.example.com",
        ));
    }
    if !settings.mail.dkim.domain.is_empty()
        && (settings.mail.dkim.selector.is_empty()
            || settings
                .mail
                .dkim
                .private_key
                .expose_secret()
                .trim()
                .is_empty())
    {
        return Err(invalid(
            "mail.dkim",
            "signing needs a selector and a private_key (set GUESTCARE__MAIL__DKIM__PRIVATE_KEY)",
        ));
    }
    if settings.mail.from.trim().is_empty() {
        return Err(invalid("mail.from", "must name a sender address"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config")
    }

    #[test]
    fn shipped_development_and_test_configs_load() {
        load_from(&config_dir(), "development").unwrap();
        load_from(&config_dir(), "test").unwrap();
    }

    #[test]
    fn production_requires_secrets_from_the_environment() {
        let error = load_from(&config_dir(), "production").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("database.url") || message.contains("security.secret_key"),
            "{message}"
        );
    }
}
