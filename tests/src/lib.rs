//! The test harness: real servers, started by the suite itself.
//!
//! - [`pg`]: one private Postgres cluster per checkout (under `target/`),
//!   shared by every test process; a template database migrated once; a
//!   fresh database per test, created from the template and dropped after.
//! - [`browser`]: headless Chromium driven over the DevTools protocol.
//! - [`app`]: the real API on an ephemeral port, driven over HTTP.
//! - [`fixtures`]: tenants, users and keys made the way the CLI makes them.
//! - [`guest_mail`]: guests' e-mails as they really arrive (charsets,
//!   encodings, HTML, attachments, auto-replies, bounces).
//! - [`dovecot`]: Dovecot on a loopback port, and a small IMAP client.
//! - [`smtp_sink`]: Postfix's `smtp-sink` capturing or refusing mail.
//! - [`http_stub`]: a local HTTP server for SMS gateways and webhook receivers.
//! - [`worker`]: the real worker, in the test process or as the binary.
//!
//! Nothing here mocks a server: tests talk to what users' servers would be.

pub mod app;
pub mod browser;
pub mod dovecot;
pub mod fixtures;
pub mod guest_mail;
pub mod http_stub;
pub mod pg;
pub mod smtp_sink;
pub mod worker;

pub use app::TestApp;
pub use fixtures::TestTenant;
pub use pg::TestDb;

/// The path of a workspace binary (`guestcare`, `guestcare-worker`, …),
/// built by `cargo build --workspace` before the tests run: beside the
/// running executable (a benchmark binary in `target/<profile>`) or one
/// folder up (a test in `target/<profile>/deps`).
pub fn bin_path(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("current test executable");
    let beside = exe.parent().expect("the executable's folder");
    let path = [Some(beside), beside.parent()]
        .into_iter()
        .flatten()
        .map(|dir| dir.join(name))
        .find(|path| path.exists());
    path.unwrap_or_else(|| {
        panic!(
            "{name} is missing beside {}: run `cargo build --workspace` first (scripts/test.sh does)",
            exe.display()
        )
    })
}
