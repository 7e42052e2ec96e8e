//! The real worker in tests: in the test process ([`TestWorker`], every
//! queue and job kind on its own runtime) or as the `guestcare-worker`
//! binary ([`WorkerProcess`]) for tests that kill, restart or multiply it.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;
use tokio::sync::watch;

use crate::bin_path;

/// A running worker; stopped when dropped.
#[derive(Debug)]
pub struct TestWorker {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestWorker {
    /// Starts `guestcare_worker::run` with `settings` on its own runtime.
    pub fn spawn(settings: Settings, pool: PgPool) -> TestWorker {
        let (stop, shutdown) = watch::channel(false);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("worker runtime");
            runtime
                .block_on(guestcare_worker::run(Arc::new(settings), pool, shutdown))
                .expect("worker ran");
        });
        TestWorker {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for TestWorker {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Polls `check` until it returns `Some` or `timeout` passes.
pub fn eventually<T>(timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(found) = check() {
            return Some(found);
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A running `guestcare-worker`; killed (SIGKILL) when dropped.
#[derive(Debug)]
pub struct WorkerProcess {
    child: Child,
}

impl WorkerProcess {
    /// Starts a worker with the test configuration on `database_url`,
    /// leasing jobs as `id`, with `env` as extra `GUESTCARE__…` overrides.
    pub fn spawn(database_url: &str, id: &str, env: &[(&str, &str)]) -> WorkerProcess {
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config");
        let mut command = Command::new(bin_path("guestcare-worker"));
        command
            .env("GUESTCARE_ENV", "test")
            .env("GUESTCARE_CONFIG_DIR", config)
            .env("GUESTCARE__DATABASE__URL", database_url)
            .env("GUESTCARE__WORKER__ID", id)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().expect("start guestcare-worker");
        WorkerProcess { child }
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to finish anything or release a lease.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("wait for guestcare-worker")
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
