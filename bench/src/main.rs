//! `gc-bench`: benchmark drivers. Each subcommand runs one capability of
//! guestcare beside a baseline in the same run, on the same Postgres, and
//! prints a table; the scripts in `bench/<capability>/` add the peers.

mod care;
mod imports;
mod pg;
mod queue;
mod surveys;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(about = "guestcare benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The job queue: guestcare's runner beside a bare SQL loop.
    Queue(queue::Args),
    /// Guest intake: the import job beside `COPY` into a bare table, and a
    /// dynamic segment over a million guests.
    Imports(imports::Args),
    /// Care automations: a holiday greeting to every guest beside one bare
    /// `INSERT … SELECT` of the same guests.
    Care(care::Args),
    /// Survey results over many responses beside one hand-written `GROUP BY`
    /// in psql.
    Surveys(surveys::Args),
    /// Starts the private benchmark cluster if needed and prints its
    /// superuser URL (for the peers' scripts).
    PgUrl,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Queue(args) => queue::run(&args),
        Command::Imports(args) => imports::run(&args),
        Command::Care(args) => care::run(&args),
        Command::Surveys(args) => surveys::run(&args),
        Command::PgUrl => {
            println!("{}", pg::admin_url(None)?);
            Ok(())
        }
    }
}
