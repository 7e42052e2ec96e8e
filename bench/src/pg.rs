//! The benchmarks' Postgres: the URL given, or a private cluster under
//! `target/bench-pg` (durable settings: fsync on, unlike the tests' one) on
//! port 54339, or `$GC_BENCH_PG_PORT` when several checkouts benchmark at
//! once.

use std::path::PathBuf;

use anyhow::Context;
use diesel::{Connection, PgConnection, RunQueryDsl};
use guestcare_db::{
    cluster::{Cluster, ClusterSpec},
    migrations,
};

/// The superuser URL of `base_url`'s server, or of the private cluster
/// (started if needed).
pub fn admin_url(base_url: Option<&str>) -> anyhow::Result<String> {
    Ok(match base_url {
        Some(url) => url.to_owned(),
        None => {
            let cluster = Cluster::ensure(
                &ClusterSpec {
                    data_dir: PathBuf::from("target/bench-pg"),
                    port: Some(
                        std::env::var("GC_BENCH_PG_PORT")
                            .ok()
                            .and_then(|p| p.parse().ok())
                            .unwrap_or(54339),
                    ),
                    superuser: "guestcare".to_owned(),
                    password: "bench".to_owned(),
                    ephemeral: false,
                },
                true,
            )
            .context("start the benchmark cluster")?;
            cluster.url("postgres")
        }
    })
}

/// A freshly created, migrated database `name`; returns its URL.
pub fn fresh_database(base_url: Option<&str>, name: &str) -> anyhow::Result<String> {
    let admin_url = admin_url(base_url)?;
    let mut admin = PgConnection::establish(&admin_url)?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)?;
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
    // Measure the software, not this machine's fsync: the peers' databases
    // get the same setting (see the scripts).
    diesel::sql_query(format!(
        "ALTER DATABASE {name} SET synchronous_commit = off"
    ))
    .execute(&mut admin)?;
    let url = match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => anyhow::bail!("cannot derive a database URL from {admin_url}"),
    };
    migrations::run_pending(&mut PgConnection::establish(&url)?)
        .map_err(|e| anyhow::anyhow!("migrate: {e}"))?;
    Ok(url)
}
