//! `guestcare`: the admin command.
//!
//! Runs migrations, validates configuration, creates tenants, staff users and
//! API keys, and runs the whole system locally with `guestcare dev`.

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use guestcare_domain::{Country, Email, Language, Role, TenantSlug, TimeZone};

#[derive(Debug, Parser)]
#[command(
    name = "guestcare",
    version,
    about = "Guest care for hotels, resorts and B&Bs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending database migrations (run before starting API and worker).
    Migrate {
        /// Only report whether migrations are pending; exit 1 if any are.
        #[arg(long)]
        check: bool,
    },
    /// Validate the configuration; exit non-zero naming the bad key.
    CheckConfig,
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Manage staff users.
    #[command(subcommand)]
    User(UserCommand),
    /// Run everything locally: private Postgres, migrations, a demo tenant,
    /// the API and the worker, until Ctrl-C.
    Dev,
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    /// Create a tenant; prints its id.
    Create {
        /// Short name used at login, e.g. `lotus-resort`.
        #[arg(long)]
        slug: TenantSlug,
        #[arg(long)]
        name: String,
        /// ISO 3166-1 alpha-2 country; its nationals are domestic guests.
        #[arg(long, default_value = "VN")]
        country: Country,
        #[arg(long, default_value = "Asia/Ho_Chi_Minh")]
        time_zone: TimeZone,
        /// Default language for guests: vi, en or zh-Hant.
        #[arg(long, default_value = "vi")]
        language: Language,
    },
}

#[derive(Debug, Subcommand)]
enum ApiKeyCommand {
    /// Create an API key; prints the secret once, on stdout.
    Create {
        #[arg(long)]
        tenant: TenantSlug,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "manager")]
        role: Role,
    },
    /// Revoke an API key by its prefix (`gck_xxxxxxxx`).
    Revoke {
        #[arg(long)]
        tenant: TenantSlug,
        #[arg(long)]
        prefix: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a staff user. The password is read from the environment
    /// variable GUESTCARE_PASSWORD, or generated and printed.
    Create {
        #[arg(long)]
        tenant: TenantSlug,
        #[arg(long)]
        email: Email,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "care_agent")]
        role: Role,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Migrate { check } => commands::migrate::run(check),
        Command::CheckConfig => commands::check_config::run(),
        Command::Tenant(TenantCommand::Create {
            slug,
            name,
            country,
            time_zone,
            language,
        }) => commands::tenant::create(&slug, &name, country, time_zone, language),
        Command::ApiKey(ApiKeyCommand::Create { tenant, name, role }) => {
            commands::api_key::create(&tenant, &name, role)
        }
        Command::ApiKey(ApiKeyCommand::Revoke { tenant, prefix }) => {
            commands::api_key::revoke(&tenant, &prefix)
        }
        Command::User(UserCommand::Create {
            tenant,
            email,
            name,
            role,
        }) => commands::user::create(&tenant, &email, &name, role),
        Command::Dev => commands::dev::run(),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
