//! Runs the real `bakeoff` binary from the repository root, one Docker test at a time.
// Each test binary uses some of these helpers, none uses all.
#![allow(dead_code)]

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
