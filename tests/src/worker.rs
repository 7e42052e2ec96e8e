//! The real `guestcare-worker` binary as a child process, for tests that
//! kill it, restart it or run several at once.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
};

use crate::bin_path;

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
