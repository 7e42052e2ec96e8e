//! `guestcare check-config`.

use std::process::ExitCode;

use guestcare_domain::settings;

/// Loads and validates the configuration without connecting anywhere. The
/// error names the offending key; secrets are never printed.
pub fn run() -> anyhow::Result<ExitCode> {
    let env = std::env::var("GUESTCARE_ENV").unwrap_or_else(|_| "development".to_owned());
    match settings::load() {
        Ok(_) => {
            println!("configuration for `{env}` is valid");
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("configuration for `{env}` is invalid: {error}");
            Ok(ExitCode::from(2))
        }
    }
}
