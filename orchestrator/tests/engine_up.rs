//! `scripts/engine-up` against a real dockerd: a second engine beside the one the other tests use,
//! with its own socket, data root, exec root and pid file, and no bridge or iptables of its own.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Stops the second engine (and its containerd) however the test ends.
struct SecondEngine {
    pidfile: PathBuf,
}

impl Drop for SecondEngine {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(&self.pidfile) {
            let _ = Command::new("kill").arg(pid.trim()).status();
            for _ in 0..50 {
                if !Command::new("kill").args(["-0", pid.trim()]).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success()) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    }
}

fn engine_up(root: &Path) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/engine-up");
    let args = format!("--exec-root={} --bridge=none --iptables=false", root.join("exec").display());
    Command::new(script)
        .env("BAKEOFF_DOCKER_SOCKET", root.join("docker.sock"))
        .env("BAKEOFF_DOCKER_DATA_ROOT", root.join("data"))
        .env("BAKEOFF_DOCKERD_PIDFILE", root.join("docker.pid"))
        .env("BAKEOFF_DOCKERD_LOG", root.join("dockerd.log"))
        .env("BAKEOFF_DOCKERD_ARGS", args)
        .env("BAKEOFF_ENGINE_WAIT_S", "60")
        .output()
        .expect("scripts/engine-up runs")
}

#[test]
fn an_engine_whose_network_store_a_killed_dockerd_left_broken_still_starts() {
    assert!(nix::unistd::geteuid().is_root(), "starting a second dockerd needs root; run the tests as root (as CI does)");
    let root = tempfile::Builder::new().prefix("bakeoff-engine-up-").tempdir_in("/tmp").unwrap();
    let store = root.path().join("data/network/files");
    std::fs::create_dir_all(&store).unwrap();
    // Docker 20.10's own store from a machine whose dockerd was killed mid-run: it panics in
    // libnetwork's reservePools on every start.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engine/broken-network-store.db");
    std::fs::copy(fixture, store.join("local-kv.db")).unwrap();
    let _engine = SecondEngine { pidfile: root.path().join("docker.pid") };

    let output = engine_up(root.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "engine-up failed:\n{stdout}\n{stderr}");
    assert!(stderr.contains("broken network store"), "engine-up did not say what it set aside: {stderr}");
    let aside: Vec<String> = std::fs::read_dir(&store).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(aside.iter().any(|name| name.starts_with("local-kv.db.broken-")), "the broken store was not kept beside: {aside:?}");
    let ping = Command::new("curl")
        .args(["-sf", "--max-time", "5", "--unix-socket"])
        .arg(root.path().join("docker.sock"))
        .arg("http://localhost/_ping")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&ping.stdout), "OK", "the second engine does not answer");

    let again = engine_up(root.path());
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already answers"), "a second call started another dockerd");
}
