//! `guestcare migrate`.

use std::process::ExitCode;

use anyhow::anyhow;
use guestcare_db::migrations;

pub fn run(check: bool) -> anyhow::Result<ExitCode> {
    let settings = super::load_settings()?;
    let mut conn = super::connect(&settings)?;
    if check {
        let pending = migrations::pending_count(&mut conn).map_err(|e| anyhow!(e))?;
        println!("{pending} pending migration(s)");
        return Ok(if pending == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let applied = migrations::run_pending(&mut conn).map_err(|e| anyhow!(e))?;
    if applied.is_empty() {
        println!("schema is current");
    }
    for version in applied {
        println!("applied {version}");
    }
    Ok(ExitCode::SUCCESS)
}
