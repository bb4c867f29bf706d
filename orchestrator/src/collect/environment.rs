//! The facts a result depends on: machine, engine, images, code.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sysinfo::System;

use crate::docker::Engine;

/// Where and with what a run was made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Environment {
    pub cpu_model: String,
    /// Logical CPUs of the machine.
    pub cores: usize,
    pub memory_bytes: u64,
    pub os: String,
    pub kernel: String,
    pub docker_version: String,
    pub docker_api_version: String,
    pub storage_driver: String,
    pub cgroup_version: String,
    /// Where the base image came from (registry digest, or debootstrap mirror + suite + date).
    pub base_image_source: String,
    /// The checked-out commit, when run from a git checkout.
    pub git_commit: Option<String>,
    pub bakeoff_version: String,
}

pub async fn environment(engine: &Engine, base_tag: &str) -> Environment {
    let mut system = System::new();
    system.refresh_memory();
    system.refresh_cpu_all();
    let facts = engine.facts().await.unwrap_or_default();
    let base = engine.image_labels(base_tag).await.ok().flatten().unwrap_or_default();
    Environment {
        cpu_model: system.cpus().first().map(|c| c.brand().trim().to_string()).unwrap_or_default(),
        cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        memory_bytes: system.total_memory(),
        os: System::long_os_version().unwrap_or_default(),
        kernel: System::kernel_version().unwrap_or_default(),
        docker_version: facts.version,
        docker_api_version: facts.api_version,
        storage_driver: facts.storage_driver,
        cgroup_version: facts.cgroup_version,
        base_image_source: base.get(crate::images::SOURCE_LABEL).cloned().unwrap_or_default(),
        git_commit: git_commit(),
        bakeoff_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

fn git_commit() -> Option<String> {
    let output = std::process::Command::new("git").args(["rev-parse", "HEAD"]).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}
