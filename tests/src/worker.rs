//! The real worker (every queue, every job kind) running inside a test.

use std::{sync::Arc, time::Duration};

use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;
use tokio::sync::watch;

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
