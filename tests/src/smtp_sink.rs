//! Postfix's `smtp-sink` on a loopback port, saving every message it
//! accepts (`-d`), or refusing commands with 4xx (`-r`) or 5xx (`-f`)
//! replies. Installed by `scripts/deps.sh test`.

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

/// A running `smtp-sink`; killed when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

/// How the sink answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkMode {
    /// Accepts and saves every message.
    Accept,
    /// Answers `RCPT TO` with 450 (soft reject).
    SoftRejectRcpt,
    /// Answers `RCPT TO` with `550 5.1.1` (hard reject).
    HardRejectRcpt,
    /// Accepts without saving (benchmarks).
    Discard,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl SmtpSink {
    pub fn start(mode: SinkMode) -> SmtpSink {
        Self::start_on(free_port(), mode)
    }

    /// Starts on `port` (e.g. to replace a sink in another mode).
    pub fn start_on(port: u16, mode: SinkMode) -> SmtpSink {
        let dir = std::env::temp_dir().join(format!("gc-smtp-sink-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("sink folder");
        // smtp-sink drops to the postfix user: let it write the dumps.
        let _ = Command::new("chmod").arg("0777").arg(&dir).status();
        let mut command = Command::new("smtp-sink");
        if running_as_root() {
            command.args(["-u", "postfix"]);
        }
        match mode {
            SinkMode::Accept => {
                command.arg("-d").arg(dir.join("%Y%m%d%H%M%S."));
            }
            SinkMode::SoftRejectRcpt => {
                command.args(["-r", "rcpt"]);
            }
            SinkMode::HardRejectRcpt => {
                command.args(["-f", "rcpt", "-B", "550 5.1.1 Error: mailbox unavailable"]);
            }
            SinkMode::Discard => {}
        }
        let child = command
            .arg(format!("127.0.0.1:{port}"))
            .arg("256")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start smtp-sink (run scripts/deps.sh test)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "smtp-sink did not start on {port}"
            );
            thread::sleep(Duration::from_millis(20));
        }
        SmtpSink { port, dir, child }
    }

    /// Every saved message (sink headers, then the message as received),
    /// oldest first.
    pub fn messages(&self) -> Vec<String> {
        read_dumps(&self.dir)
    }

    /// Waits until at least `n` messages were saved.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.messages();
            if found.len() >= n || Instant::now() > deadline {
                return found;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

/// What the sink received, by recipient (`X-Rcpt-Args`): the Message-ID of
/// each message, in order. A recipient with two entries got a message
/// twice; equal Message-IDs mean the same message was handed over again
/// (a sender that crashed between the server's reply and its own record).
pub fn deliveries(mails: &[String]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut found: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for mail in mails {
        let header = |name: &str| {
            mail.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().trim_matches(['<', '>']).to_owned())
                .unwrap_or_default()
        };
        found
            .entry(header("X-Rcpt-Args:"))
            .or_default()
            .push(header("Message-ID:"));
    }
    found
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn read_dumps(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .filter(|text| !text.is_empty())
        .collect()
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
