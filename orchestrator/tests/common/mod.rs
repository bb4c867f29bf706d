//! Runs the real `bakeoff` binary from the repository root, one Docker test at a time.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

use bakeoff::docker::{Engine, Removed, Scope};

static DOCKER: Mutex<()> = Mutex::new(());

/// Serialises tests that use the shared engine (they count labelled objects).
pub fn docker_lock() -> MutexGuard<'static, ()> {
    DOCKER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
