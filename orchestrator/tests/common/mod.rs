//! Runs the real `bakeoff` binary from the repository root, one Docker test at a time.
// Each test binary uses some of these helpers, none uses all.
#![allow(dead_code)]

pub mod browser;
pub mod second_engine;

use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Output};

use bakeoff::docker::{Engine, Removed, Scope};
use nix::fcntl::{Flock, FlockArg};

/// The lock file shared with every other user of the engine on this machine (test binaries run
/// one after another, but a person may run `flock /tmp/bakeoff-docker.lock bakeoff run` meanwhile).
const DOCKER_LOCK: &str = "/tmp/bakeoff-docker.lock";

/// Serialises tests that use the shared engine (they count labelled objects): an exclusive
/// `flock`, held until the guard is dropped, also across `.await`s.
pub fn docker_lock() -> Flock<File> {
    let file = File::options().create(true).truncate(false).write(true).open(DOCKER_LOCK).expect("the Docker lock file opens");
    Flock::lock(file, FlockArg::LockExclusive).map_err(|(_, e)| e).expect("the Docker lock is taken")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn bakeoff() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bakeoff"));
    command.current_dir(repo_root());
    command
}

/// Runs bakeoff with `args` and returns its output, stdout and stderr as text.
pub fn run(args: &[&str]) -> (Output, String, String) {
    let output = bakeoff().args(args).output().expect("bakeoff runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

pub fn docker_host() -> String {
    std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into())
}

/// Everything labelled bakeoff.managed-by=bakeoff on the engine.
pub async fn labelled() -> Removed {
    let engine = Engine::connect(&docker_host(), "test").await.expect("engine answers");
    engine.count(&Scope::All).await.expect("engine lists")
}

/// What session `run_id` has labelled on the engine now.
pub async fn labelled_by_run(run_id: &str) -> Removed {
    let engine = Engine::connect(&docker_host(), "test").await.expect("engine answers");
    engine.count(&Scope::Run(run_id.to_string())).await.expect("engine lists")
}

/// Removes what session `run_id` left (so a failing test does not leave its objects behind).
pub async fn remove_run(run_id: &str) {
    let engine = Engine::connect(&docker_host(), "test").await.expect("engine answers");
    engine.remove(&Scope::Run(run_id.to_string())).await.expect("engine removes");
}

/// The first run id (8 hex characters after "run ") in `text`.
pub fn run_id_in(text: &str) -> Option<String> {
    text.match_indices("run ").map(|(at, _)| &text[at + 4..]).find_map(|rest| {
        let id: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        (id.len() == 8).then_some(id)
    })
}

/// A spawned bakeoff whose stderr lines arrive on a channel as they are written.
pub struct Watched {
    pub child: std::process::Child,
    pub lines: std::sync::mpsc::Receiver<String>,
    pub stderr: Vec<String>,
}

impl Watched {
    pub fn spawn(command: &mut Command) -> Watched {
        use std::io::BufRead;
        let mut child = command.stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null()).spawn().expect("bakeoff starts");
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || std::io::BufReader::new(stderr).lines().map_while(Result::ok).try_for_each(|line| sender.send(line)));
        Watched { child, lines, stderr: Vec::new() }
    }

    /// Waits (at most `limit`) for a stderr line containing `text`; panics with stderr if none.
    pub fn wait_for_line(&mut self, text: &str, limit: std::time::Duration) -> String {
        let deadline = std::time::Instant::now() + limit;
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
            self.stderr.push(line.clone());
            if line.contains(text) {
                return line;
            }
        }
        self.child.kill().ok();
        panic!("no stderr line with {text:?} within {limit:?}:\n{}", self.stderr.join("\n"));
    }

    /// Sends SIGINT.
    pub fn interrupt(&self) {
        let sent = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success());
    }

    /// Waits (at most `limit`) for the exit; returns its status and how long it took, or None.
    pub fn wait_exit(&mut self, limit: std::time::Duration) -> Option<(std::process::ExitStatus, std::time::Duration)> {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some((status, started.elapsed()));
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }

    /// The rest of stderr, after the process ended or was killed.
    pub fn rest_of_stderr(&mut self) -> String {
        self.child.kill().ok();
        self.child.wait().ok();
        self.stderr.extend(self.lines.iter());
        self.stderr.join("\n")
    }
}
