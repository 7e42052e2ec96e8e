//! A small local HTTP server standing in for SMS gateways and webhook
//! receivers: it records every request and answers from a script.

use std::{
    net::TcpListener,
    sync::{Arc, Mutex, mpsc},
    thread,
    time::{Duration, Instant},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, dev::ServerHandle, web};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Debug, Default)]
struct Shared {
    requests: Vec<Recorded>,
    /// Answers in order; the last one repeats.
    script: Vec<(u16, String)>,
}

/// A running stub; stopped when dropped.
#[derive(Debug)]
pub struct HttpStub {
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
    handle: ServerHandle,
    thread: Option<thread::JoinHandle<()>>,
}

async fn answer(
    req: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Mutex<Shared>>,
) -> HttpResponse {
    let mut shared = shared.lock().expect("stub state");
    let index = shared
        .requests
        .len()
        .min(shared.script.len().saturating_sub(1));
    let (status, text) = shared
        .script
        .get(index)
        .cloned()
        .unwrap_or((200, String::new()));
    shared.requests.push(Recorded {
        method: req.method().to_string(),
        uri: req.uri().to_string(),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect(),
        body: body.to_vec(),
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status"))
        .content_type("application/json")
        .body(text)
}

impl HttpStub {
    /// Answers every request from `script` in turn (status, JSON body),
    /// repeating the last answer.
    pub fn start(script: Vec<(u16, &str)>) -> HttpStub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Mutex::new(Shared {
            requests: Vec::new(),
            script: script.into_iter().map(|(s, b)| (s, b.to_owned())).collect(),
        }));
        let data = web::Data::from(shared.clone());
        let (sender, receiver) = mpsc::channel();
        let thread = thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .default_service(web::to(answer))
                })
                .listen(listener)
                .expect("listen")
                .workers(1)
                .disable_signals()
                .run();
                sender.send(server.handle()).expect("handle");
                let _ = server.await;
            });
        });
        let handle = receiver.recv().expect("stub started");
        HttpStub {
            base_url,
            shared,
            handle,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().expect("stub state").requests.clone()
    }

    /// Waits until at least `n` requests arrived.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Recorded> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.requests();
            if found.len() >= n || Instant::now() > deadline {
                return found;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for HttpStub {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let _ =
            thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false))).join();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
