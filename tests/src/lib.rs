//! The test harness: real servers, started by the suite itself.
//!
//! - [`pg`]: one private Postgres cluster per checkout (under `target/`),
//!   shared by every test process; a template database migrated once; a
//!   fresh database per test, created from the template and dropped after.
//! - [`browser`]: headless Chromium driven over the DevTools protocol.
//! - [`app`]: the real API on an ephemeral port, driven over HTTP.
//! - [`fixtures`]: tenants, users and keys made the way the CLI makes them.
//! - [`smtp_sink`]: Postfix's `smtp-sink` capturing or refusing mail.
//! - [`http_stub`]: a local HTTP server for SMS gateways and webhook receivers.
//! - [`worker`]: the real worker, in the test process or as the binary.
//!
//! Nothing here mocks a server: tests talk to what users' servers would be.

pub mod app;
pub mod browser;
pub mod dovecot;
pub mod fixtures;
pub mod http_stub;
pub mod pg;
pub mod smtp_sink;
pub mod worker;

pub use app::TestApp;
pub use fixtures::TestTenant;
pub use pg::TestDb;

/// The path of a workspace binary (`guestcare`, `guestcare-worker`, …),
/// built by `cargo build --workspace` before the tests run.
pub fn bin_path(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("current test executable");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile> folder");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace` first (scripts/test.sh does)",
        path.display()
    );
    path
}
