//! A second dockerd on this machine standing in for another host: its own socket, data root,
//! exec root, pid file and a Linux bridge of its own as its default bridge (never `--bridge=none`:
//! a dockerd started without a bridge deletes the host's `docker0`, and the main engine's default
//! network with it). Drop stops it, deletes its bridge and removes its folder, however the test
//! ends.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct SecondEngine {
    pub root: PathBuf,
    bridge: String,
}

impl SecondEngine {
    /// A folder under /tmp and a bridge named after `name` with address `bridge_cidr`
    /// (`10.240.3.1/24`); the engine is not started yet (see [`SecondEngine::engine_up`]).
    pub fn new(name: &str, bridge_cidr: &str) -> SecondEngine {
        assert!(nix::unistd::geteuid().is_root(), "starting a second dockerd needs root; run the tests as root (as CI does)");
        let root = tempfile::Builder::new().prefix(&format!("bakeoff-{name}-")).tempdir_in("/tmp").unwrap().keep();
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        // At most 15 characters (Linux's limit): "bkf", the process id, and a counter.
        let bridge = format!("bkf{}-{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        let engine = SecondEngine { root, bridge };
        for args in [
            vec!["link", "add", &engine.bridge, "type", "bridge"],
            vec!["addr", "add", bridge_cidr, "dev", &engine.bridge],
            vec!["link", "set", &engine.bridge, "up"],
        ] {
            let out = Command::new("ip").args(&args).output().expect("ip (iproute2) runs");
            assert!(out.status.success(), "ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        }
        engine
    }

    /// Runs `scripts/engine-up` for this engine, with networks from `pool` (a /16) and `more` dockerd
    /// arguments.
    pub fn engine_up(&self, pool: &str, more: &str) -> Output {
        let args = format!(
            "--exec-root={} --bridge={} --iptables=false --default-address-pool base={pool},size=24 {more}",
            self.root.join("exec").display(),
            self.bridge
        );
        Command::new(super::repo_root().join("scripts/engine-up"))
            .env("BAKEOFF_DOCKER_SOCKET", self.root.join("docker.sock"))
            .env("BAKEOFF_DOCKER_DATA_ROOT", self.root.join("data"))
            .env("BAKEOFF_DOCKERD_PIDFILE", self.root.join("docker.pid"))
            .env("BAKEOFF_DOCKERD_LOG", self.root.join("dockerd.log"))
            .env("BAKEOFF_DOCKERD_ARGS", args)
            .env("BAKEOFF_ENGINE_WAIT_S", "60")
            .output()
            .expect("scripts/engine-up runs")
    }

    /// [`SecondEngine::engine_up`], which must succeed.
    pub fn started(self, pool: &str, more: &str) -> SecondEngine {
        let output = self.engine_up(pool, more);
        assert!(output.status.success(), "the second engine did not start: {}", String::from_utf8_lossy(&output.stderr));
        self
    }

    pub fn address(&self) -> String {
        format!("unix://{}", self.root.join("docker.sock").display())
    }
}

impl Drop for SecondEngine {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.root.join("docker.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
            for _ in 0..100 {
                if !Path::new(&format!("/proc/{}", pid.trim())).exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        // dockerd leaves its data root's private mount and its default network namespace's bind
        // mount behind when it stops: unmount them (deepest first) before removing the folder.
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
        let mut ours: Vec<&str> = mounts.lines().filter_map(|l| l.split(' ').nth(1)).filter(|m| Path::new(m).starts_with(&self.root)).collect();
        ours.sort_by_key(|m| std::cmp::Reverse(m.len()));
        for mount in ours {
            let _ = Command::new("umount").args(["-l", mount]).output();
        }
        let _ = Command::new("ip").args(["link", "delete", &self.bridge]).output();
        if let Err(e) = std::fs::remove_dir_all(&self.root) {
            eprintln!("could not remove {}: {e}", self.root.display());
        }
    }
}
