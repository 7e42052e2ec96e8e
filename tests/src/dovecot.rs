//! Dovecot on a loopback port, from its own config file: a passwd-file of
//! test users with plain passwords, Maildir mail under a temp folder, no TLS
//! (guestcare allows `security: none` only for loopback servers). Installed
//! by `scripts/deps.sh test` (`dovecot-imapd`).
//!
//! [`Imap`] is a minimal synchronous IMAP client for the suite itself:
//! APPEND (with LITERAL+, so thousands of messages go out in one stream),
//! folder CREATE / DELETE (a deleted and re-created folder has a new
//! UIDVALIDITY), and SEARCH.

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

/// A running Dovecot; stopped when dropped.
#[derive(Debug)]
pub struct Dovecot {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

/// The password of every test user.
pub const PASSWORD: &str = "imap-test-password";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn current_ids() -> (String, String) {
    let id = |flag: &str| {
        Command::new("id")
            .arg(flag)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .expect("id")
    };
    (id("-u"), id("-g"))
}

impl Dovecot {
    /// Starts Dovecot with `users` (each with [`PASSWORD`]).
    pub fn start(users: &[&str]) -> Dovecot {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("gc-dovecot-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("mail")).expect("dovecot folder");
        let (uid, gid) = current_ids();
        // Dovecot refuses mail access as root: root runs the mail as nobody.
        let (mail_uid, mail_gid) = if uid == "0" {
            ("65534".to_owned(), "65534".to_owned())
        } else {
            (uid.clone(), gid)
        };
        let _ = Command::new("chown")
            .args(["-R", &format!("{mail_uid}:{mail_gid}")])
            .arg(dir.join("mail"))
            .status();
        let passwd: String = users
            .iter()
            .map(|u| {
                format!(
                    "{u}:{{PLAIN}}{PASSWORD}:{mail_uid}:{mail_gid}::{}\n",
                    dir.join("mail").join(u).display()
                )
            })
            .collect();
        std::fs::write(dir.join("users"), passwd).expect("passwd-file");
        let (login_user, internal_user) = if uid == "0" {
            ("dovenull".to_owned(), "dovecot".to_owned())
        } else {
            let name = std::env::var("USER").unwrap_or_else(|_| "nobody".to_owned());
            (name.clone(), name)
        };
        let d = dir.display();
        let config = format!(
            "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
             listen = 127.0.0.1\nprotocols = imap\nssl = no\ndisable_plaintext_auth = no\n\
             auth_mechanisms = plain login\nmail_location = maildir:~/Maildir\n\
             first_valid_uid = 1\nfirst_valid_gid = 1\n\
             default_login_user = {login_user}\ndefault_internal_user = {internal_user}\n\
             imap_max_line_length = 1M\nmail_fsync = never\nmail_max_userip_connections = 100\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/users\n}}\n\
             userdb {{\n  driver = passwd-file\n  args = username_format=%u {d}/users\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\nservice imap-login {{\n  chroot =\n}}\n"
        );
        let config_path = dir.join("dovecot.conf");
        std::fs::write(&config_path, config).expect("dovecot.conf");
        let child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dovecot (run scripts/deps.sh test)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "dovecot did not start on {port}: see {d}/dovecot.log"
            );
            thread::sleep(Duration::from_millis(20));
        }
        Dovecot { port, dir, child }
    }

    /// A logged-in client for `user`.
    pub fn login(&self, user: &str) -> Imap {
        Imap::login(self.port, user)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A failed test keeps the folder (and dovecot.log) for a look.
        if !thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A synchronous IMAP client for tests and benchmarks.
#[derive(Debug)]
pub struct Imap {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    tag: u32,
}

impl Imap {
    pub fn login(port: u16, user: &str) -> Imap {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to dovecot");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let writer = stream.try_clone().expect("clone stream");
        let mut imap = Imap {
            reader: BufReader::new(stream),
            writer,
            tag: 0,
        };
        imap.read_line();
        imap.command(&format!("LOGIN {user} {PASSWORD}"));
        imap
    }

    fn read_line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read from dovecot");
        line
    }

    fn next_tag(&mut self) -> String {
        self.tag += 1;
        format!("t{}", self.tag)
    }

    /// Reads until the tagged answer; panics unless it is OK. Returns the
    /// untagged lines.
    fn finish(&mut self, tag: &str) -> Vec<String> {
        let mut untagged = Vec::new();
        loop {
            let line = self.read_line();
            assert!(!line.is_empty(), "dovecot closed the connection");
            if let Some(rest) = line.strip_prefix(&format!("{tag} ")) {
                assert!(rest.starts_with("OK"), "{tag} failed: {line}");
                return untagged;
            }
            untagged.push(line);
        }
    }

    /// Runs a one-line command; returns its untagged lines.
    pub fn command(&mut self, command: &str) -> Vec<String> {
        let tag = self.next_tag();
        write!(self.writer, "{tag} {command}\r\n").expect("write to dovecot");
        self.finish(&tag)
    }

    /// Appends `messages` to `folder`, pipelined (LITERAL+).
    pub fn append_all(&mut self, folder: &str, messages: &[Vec<u8>]) {
        let mut tags = Vec::with_capacity(messages.len());
        for chunk in messages.chunks(200) {
            for raw in chunk {
                let tag = self.next_tag();
                let mut out =
                    format!("{tag} APPEND \"{folder}\" {{{}+}}\r\n", raw.len()).into_bytes();
                out.extend_from_slice(raw);
                out.extend_from_slice(b"\r\n");
                self.writer.write_all(&out).expect("write to dovecot");
                tags.push(tag);
            }
            for tag in tags.drain(..) {
                self.finish(&tag);
            }
        }
    }

    pub fn append(&mut self, folder: &str, raw: &[u8]) {
        self.append_all(folder, &[raw.to_vec()]);
    }

    /// UIDs in `folder` matching the SEARCH `criteria` (e.g. `UNSEEN`).
    pub fn search(&mut self, folder: &str, criteria: &str) -> Vec<u32> {
        self.command(&format!("SELECT \"{folder}\""));
        self.command(&format!("UID SEARCH {criteria}"))
            .iter()
            .filter_map(|l| l.strip_prefix("* SEARCH"))
            .flat_map(|rest| {
                rest.split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect::<Vec<u32>>()
            })
            .collect()
    }
}
