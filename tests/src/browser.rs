//! Headless Chromium (Debian's `chromium` package, installed by
//! `scripts/deps.sh`) driven over the Chrome DevTools Protocol: a small
//! client over one websocket (`tungstenite`, synchronous), enough to open a
//! page, click what a person would click, and read the document back.
//!
//! The browser is started with `--remote-debugging-port=0` and a private
//! profile directory; its DevTools URL is read from stderr. One page target
//! is created and attached in flat mode, so every command carries its
//! `sessionId`. Calls block: use them from `spawn_blocking` in async tests.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader},
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// How long any one DevTools answer or event may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A headless Chromium with one open page.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Events read while waiting for an answer.
    events: VecDeque<Value>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("session", &self.session)
            .finish()
    }
}

impl Browser {
    /// Starts Chromium and opens a blank page.
    pub fn start() -> Browser {
        let profile = std::env::temp_dir().join(format!("gc-chromium-{}", uuid::Uuid::now_v7()));
        let mut child = Command::new("chromium")
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium (scripts/deps.sh installs it)");
        let stderr = child.stderr.take().expect("piped stderr");
        let (found, url) = mpsc::channel();
        // Reads the DevTools URL, then keeps draining stderr.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("ws://") {
                    let _ = found.send(line[at..].trim().to_owned());
                }
            }
        });
        let url: String = url
            .recv_timeout(TIMEOUT)
            .expect("chromium's DevTools URL on stderr");
        let address = url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let stream = TcpStream::connect(&address).expect("connect to DevTools");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let (socket, _) = tungstenite::client(url.as_str(), stream).expect("DevTools handshake");
        let mut browser = Browser {
            child,
            profile,
            socket,
            session: String::new(),
            next_id: 0,
            events: VecDeque::new(),
        };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = browser.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_owned();
        browser.call("Page.enable", json!({}));
        browser.call("Runtime.enable", json!({}));
        browser
    }

    /// Sends a command (to the page once attached) and returns its result;
    /// panics on a protocol error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            command["sessionId"] = Value::from(self.session.clone());
        }
        self.socket
            .send(Message::text(command.to_string()))
            .expect("send to DevTools");
        loop {
            let message = self.read();
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.events.push_back(message);
        }
    }

    /// Waits for the next event named `method` (one read earlier counts).
    pub fn wait_for_event(&mut self, method: &str) -> Value {
        if let Some(at) = self.events.iter().position(|e| e["method"] == method) {
            return self.events.remove(at).unwrap_or_default();
        }
        loop {
            let message = self.read();
            if message["method"] == method {
                return message;
            }
            self.events.push_back(message);
        }
    }

    /// Opens `url` and waits until it has loaded.
    pub fn open(&mut self, url: &str) {
        self.events.clear();
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for_event("Page.loadEventFired");
    }

    /// Evaluates `expression` in the page and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// Clicks the element `selector` finds, as a person would (a mouse
    /// press and release at its centre).
    pub fn click(&mut self, selector: &str) {
        let quoted = serde_json::to_string(selector).unwrap();
        let centre = self.eval(&format!(
            "(() => {{ const e = document.querySelector({quoted}); e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": centre[0], "y": centre[1], "button": "left", "clickCount": 1 }),
            );
        }
    }

    /// Types `text` into the focused element.
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }));
    }

    /// Clicks `selector` (a submit button) and waits for the next page.
    pub fn submit(&mut self, selector: &str) {
        self.events.clear();
        self.click(selector);
        self.wait_for_event("Page.loadEventFired");
    }

    /// The current document's HTML.
    pub fn html(&mut self) -> String {
        self.eval("document.documentElement.outerHTML")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn read(&mut self) -> Value {
        loop {
            match self.socket.read().expect("read from DevTools") {
                Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
                Message::Close(_) => panic!("DevTools closed the connection"),
                _ => {}
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
