//! The real worker (every registered job kind, every configured queue) in
//! the test process, on `db`.

use std::{sync::Arc, thread};

use guestcare_domain::settings::Settings;
use tokio::sync::watch;

use crate::{
    app::{pool_for, settings_for},
    pg::TestDb,
};

/// A running worker; stopped (gracefully) when dropped.
#[derive(Debug)]
pub struct TestWorker {
    stop: watch::Sender<bool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl TestWorker {
    /// Starts the worker on `db` with the test configuration.
    pub fn spawn(db: &TestDb) -> TestWorker {
        Self::spawn_with(db, settings_for(db))
    }

    pub fn spawn_with(db: &TestDb, settings: Settings) -> TestWorker {
        let pool = pool_for(db);
        let (stop, shutdown) = watch::channel(false);
        let thread = thread::spawn(move || {
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
