//! A private Postgres cluster run from the system's Postgres binaries.
//!
//! `guestcare dev` keeps one under the project's data folder, and the test
//! suite keeps one under `target/`. The cluster listens on 127.0.0.1 only (no
//! Unix socket), requires a password, and is initialised and run as the
//! `postgres` OS user when the caller is root, because Postgres refuses to
//! run as root.

use std::{
    fs,
    io::Write,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

/// Why the cluster could not be provided. Messages tell the reader what to do.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL server binaries were not found. Install them with \
         `sudo apt-get install -y postgresql` (Debian/Ubuntu) and run again."
    )]
    NotInstalled,
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What cluster to provide.
#[derive(Debug, Clone)]
pub struct ClusterSpec {
    /// The data directory (`PGDATA`); created if missing.
    pub data_dir: PathBuf,
    /// The TCP port; `None` picks a free one when the cluster first starts.
    pub port: Option<u16>,
    /// Name of the superuser role created by `initdb`.
    pub superuser: String,
    /// Its password.
    pub password: String,
    /// Trade durability for speed (tests only): fsync and synchronous commit off.
    pub ephemeral: bool,
}

/// A running private cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    bin_dir: PathBuf,
    data_dir: PathBuf,
    port: u16,
    superuser: String,
    password: String,
}

impl Cluster {
    /// Initialises the cluster if its data directory is empty, starts it if it
    /// is not running, and waits until it accepts connections. Installs
    /// Postgres with apt first when it is missing and `install` is true and
    /// the caller is root.
    pub fn ensure(spec: &ClusterSpec, install: bool) -> Result<Cluster, ClusterError> {
        let bin_dir = match locate_binaries() {
            Some(dir) => dir,
            None if install && is_root() => {
                install_with_apt()?;
                locate_binaries().ok_or(ClusterError::NotInstalled)?
            }
            None => return Err(ClusterError::NotInstalled),
        };
        fs::create_dir_all(&spec.data_dir)?;
        let data_dir = spec.data_dir.canonicalize()?;
        if !data_dir.join("PG_VERSION").exists() {
            init(&bin_dir, &data_dir, spec)?;
        }
        let cluster = Cluster {
            port: running_port(&data_dir).unwrap_or(0),
            bin_dir,
            data_dir,
            superuser: spec.superuser.clone(),
            password: spec.password.clone(),
        };
        if cluster.is_running() && cluster.port != 0 {
            return Ok(cluster);
        }
        let port = match spec.port {
            Some(port) => port,
            None => free_port()?,
        };
        let cluster = Cluster { port, ..cluster };
        cluster.start(spec.ephemeral)?;
        Ok(cluster)
    }

    /// The port the cluster listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// A connection URL for `database` as the superuser.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{}:{}@127.0.0.1:{}/{}",
            self.superuser, self.password, self.port, database
        )
    }

    /// Whether a postmaster is running on the data directory.
    pub fn is_running(&self) -> bool {
        self.pg_ctl(&["status"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// Stops the cluster (fast shutdown: clients are disconnected, data is safe).
    pub fn stop(&self) -> Result<(), ClusterError> {
        if !self.is_running() {
            return Ok(());
        }
        run(self.pg_ctl(&["stop", "-w", "-m", "fast"]), "pg_ctl stop")
    }

    fn start(&self, ephemeral: bool) -> Result<(), ClusterError> {
        let mut options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300",
            self.port
        );
        if ephemeral {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log_path = self.data_dir.join("postgres.log");
        let log = log_path.to_string_lossy();
        run(
            self.pg_ctl(&["start", "-w", "-t", "60", "-l", &log, "-o", &options]),
            "pg_ctl start",
        )
        .map_err(|error| match error {
            ClusterError::Command { what, detail } => {
                let log = fs::read_to_string(&log_path).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                ClusterError::Command {
                    what,
                    detail: format!("{detail}\n{}", tail.join("\n")),
                }
            }
            other => other,
        })
    }

    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut command = as_postgres(&self.bin_dir.join("pg_ctl"));
        command.arg("-D").arg(&self.data_dir).args(args);
        command
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding the server
/// binaries, or the directory `pg_config --bindir` names.
pub fn locate_binaries() -> Option<PathBuf> {
    let has_server = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_server(dir))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Some(dir);
    }
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    has_server(&dir).then_some(dir)
}

fn install_with_apt() -> Result<(), ClusterError> {
    eprintln!("PostgreSQL is not installed; installing it with apt-get (this takes a minute)…");
    let update = Command::new("apt-get").arg("update").status()?;
    if !update.success() {
        return Err(ClusterError::Command {
            what: "apt-get update".into(),
            detail: format!("exit status {update}"),
        });
    }
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(install, "apt-get install postgresql")
}

fn init(bin_dir: &Path, data_dir: &Path, spec: &ClusterSpec) -> Result<(), ClusterError> {
    if is_root() {
        ensure_postgres_can_reach(data_dir)?;
    }
    let pwfile = data_dir.with_extension("pwfile");
    {
        let mut file = fs::File::create(&pwfile)?;
        writeln!(file, "{}", spec.password)?;
    }
    if is_root() {
        chown_to_postgres(&pwfile)?;
    }
    let mut initdb = as_postgres(&bin_dir.join("initdb"));
    initdb
        .arg("-D")
        .arg(data_dir)
        .args(["-U", &spec.superuser, "--auth=scram-sha-256", "-E", "UTF8"])
        .args(["--locale=C.UTF-8", "--no-instructions"])
        .arg(format!("--pwfile={}", pwfile.display()));
    let result = run(initdb, "initdb");
    fs::remove_file(&pwfile)?;
    result
}

/// As root, hands the data directory to the `postgres` user and checks that
/// it can reach it (every parent must be traversable).
fn ensure_postgres_can_reach(data_dir: &Path) -> Result<(), ClusterError> {
    chown_to_postgres(data_dir)?;
    let reachable = Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-w"])
        .arg(data_dir)
        .status()?
        .success();
    if reachable {
        Ok(())
    } else {
        Err(ClusterError::Command {
            what: "preparing the data directory".into(),
            detail: format!(
                "the postgres user cannot reach {}; make its parent folders \
                 traversable (chmod o+x) or set dev.data_dir to a folder outside /root",
                data_dir.display()
            ),
        })
    }
}

fn chown_to_postgres(path: &Path) -> Result<(), ClusterError> {
    let mut chown = Command::new("chown");
    chown.args(["-R", "postgres:postgres"]).arg(path);
    run(chown, "chown")
}

/// The port from `postmaster.pid` (its fourth line), if a postmaster wrote one.
fn running_port(data_dir: &Path) -> Option<u16> {
    let pid_file = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    pid_file.lines().nth(3)?.trim().parse().ok()
}

fn free_port() -> Result<u16, ClusterError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

/// A command for `program`, run as the `postgres` user when we are root.
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) -> Result<(), ClusterError> {
    let output = command.stdin(Stdio::null()).output()?;
    if output.status.success() {
        Ok(())
    } else {
        let mut detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        if detail.is_empty() {
            detail = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        }
        Err(ClusterError::Command {
            what: what.to_owned(),
            detail,
        })
    }
}
