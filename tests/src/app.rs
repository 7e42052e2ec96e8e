//! The real API on an ephemeral port.

use std::{net::TcpListener, path::Path, sync::mpsc, thread, time::Duration};

use actix_web::dev::ServerHandle;
use guestcare_api::{Signals, state::AppState};
use guestcare_db::{PgPool, build_pool};
use guestcare_domain::settings::{self, Settings};
use secrecy::SecretString;

use crate::pg::TestDb;

/// The test configuration (`config/test.toml`) pointed at `db`.
pub fn settings_for(db: &TestDb) -> Settings {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config");
    let mut settings = settings::load_from(&config, "test").expect("load config/test.toml");
    settings.database.url = SecretString::from(db.url().to_owned());
    settings
}

/// A pool on `db` sized for tests.
pub fn pool_for(db: &TestDb) -> PgPool {
    build_pool(db.url(), 8, Duration::from_secs(5))
}

/// A running API server; stopped when dropped.
#[derive(Debug)]
pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    pub pool: PgPool,
    handle: ServerHandle,
    thread: Option<thread::JoinHandle<()>>,
}

impl TestApp {
    /// Starts the API on `db` with the test configuration.
    pub fn spawn(db: &TestDb) -> TestApp {
        Self::spawn_with(db, settings_for(db))
    }

    /// Starts the API on `db` with `settings` (e.g. a smaller body limit).
    pub fn spawn_with(db: &TestDb, settings: Settings) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let pool = pool_for(db);
        let state = AppState::new(pool.clone(), settings).expect("app state");
        let (sender, receiver) = mpsc::channel();
        let thread = thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = guestcare_api::server(state, listener, Signals::Ignore)
                    .expect("build the server");
                sender
                    .send(server.handle())
                    .expect("hand over the server handle");
                let _ = server.await;
            });
        });
        let handle = receiver.recv().expect("server started");
        TestApp {
            base_url,
            client: reqwest::Client::new(),
            pool,
            handle,
            thread: Some(thread),
        }
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn get(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(token)
    }

    pub fn post(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path)).bearer_auth(token)
    }

    pub fn patch(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.patch(self.url(path)).bearer_auth(token)
    }

    pub fn put(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.put(self.url(path)).bearer_auth(token)
    }

    pub fn delete(&self, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.delete(self.url(path)).bearer_auth(token)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let _ =
            thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false))).join();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
