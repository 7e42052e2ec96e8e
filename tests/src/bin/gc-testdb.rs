//! `gc-testdb`: the test cluster from the shell, for `scripts/test.sh`.
//!
//! - `gc-testdb create` makes a fresh migrated database and prints its URL;
//! - `gc-testdb drop <url>` drops it;
//! - `gc-testdb stop` stops the shared test cluster.

use std::process::ExitCode;

use guestcare_tests::pg;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["create"] => {
            let db = pg::TestDb::new();
            println!("{}", db.url());
            std::mem::forget(db);
        }
        ["drop", url] => match url.rsplit('/').next() {
            Some(name) => pg::drop_database(name),
            None => return ExitCode::FAILURE,
        },
        ["stop"] => {
            if let Err(error) = pg::stop_cluster() {
                eprintln!("gc-testdb: {error}");
                return ExitCode::FAILURE;
            }
        }
        _ => {
            eprintln!("usage: gc-testdb create | drop <url> | stop");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
