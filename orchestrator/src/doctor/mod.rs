//! `bakeoff doctor`: can a bake-off run on this machine, and if not, what to do.

use std::path::Path;

use serde::Serialize;
use sysinfo::{Disks, System};

use crate::config::Config;
use crate::docker::{Engine, EngineFacts};
use crate::images::SOURCE_LABEL;

mod hosts;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Ok,
    /// Works, but worse than it could.
    Warn,
    /// A bake-off cannot run until this is fixed.
    Fail,
}

/// One line of the doctor's table.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about it (empty when nothing).
    pub fix: String,
}

/// All checks; a bake-off can run when none failed.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub checks: Vec<Check>,
}

impl DoctorReport {
    pub fn can_run(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
    }
}

pub(crate) fn check(name: impl Into<String>, status: Status, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check { name: name.into(), status, detail: detail.into(), fix: fix.into() }
}

/// Runs every check: the orchestrator's machine and engine (`docker.host`), then every engine of
/// `hosts:` and the network paths between roles on different engines.
pub async fn diagnose(config: &Config) -> DoctorReport {
    let mut report = diagnose_engine(config, &config.docker.host).await;
    report.checks.extend(hosts::checks(config).await);
    report
}

/// Runs the machine's checks and those of the engine at `host`.
pub async fn diagnose_engine(config: &Config, host: &str) -> DoctorReport {
    let mut checks = machine_checks();
    match Engine::connect(host, "doctor").await {
        Err(e) => {
            let fix = "run `scripts/engine-up` as root, or start Docker and set DOCKER_HOST";
            checks.insert(0, check("docker engine", Status::Fail, first_line(&e.to_string()), fix));
            checks.push(debootstrap_check(false));
        }
        Ok(engine) => checks.splice(0..0, engine_checks(&engine, config).await).for_each(drop),
    }
    DoctorReport { checks }
}

async fn engine_checks(engine: &Engine, config: &Config) -> Vec<Check> {
    let facts = match engine.facts().await {
        Ok(facts) => facts,
        Err(e) => return vec![check("docker engine", Status::Fail, e.to_string(), "check the engine's log")],
    };
    let mut checks = vec![
        check("docker engine", Status::Ok, format!("Docker {} at {}", facts.version, engine.host()), ""),
        check("docker API", Status::Ok, format!("{} (negotiated)", facts.api_version), ""),
        storage_check(&facts),
        check("cgroup version", Status::Ok, facts.cgroup_version.clone(), ""),
        disk_check(&facts.root_dir),
    ];
    let registry = engine.registry_serves(&config.images.registry_base).await;
    let base = engine.image_labels(&config.images.base_tag).await.ok().flatten();
    checks.push(match &registry {
        Ok(()) => check("container registry", Status::Ok, format!("{} can be pulled", config.images.registry_base), ""),
        Err(why) => {
            check("container registry", Status::Warn, format!("unreachable ({})", first_line(why)), "fine: the base image is made with debootstrap instead")
        }
    });
    checks.push(debootstrap_check(registry.is_ok() || base.is_some()));
    checks.push(match base {
        Some(labels) => {
            let source = labels.get(SOURCE_LABEL).cloned().unwrap_or_else(|| "unknown source".into());
            check("base image", Status::Ok, format!("{} from {source}", config.images.base_tag), "")
        }
        None => check("base image", Status::Warn, format!("{} is missing", config.images.base_tag), "built on demand; or run `bakeoff images base` now"),
    });
    checks
}

fn storage_check(facts: &EngineFacts) -> Check {
    if facts.storage_driver == "overlay2" {
        check("storage driver", Status::Ok, "overlay2", "")
    } else {
        check("storage driver", Status::Warn, facts.storage_driver.clone(), "overlay2 builds and starts containers fastest")
    }
}

fn machine_checks() -> Vec<Check> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let cores_check = if cores >= 2 {
        check("cores", Status::Ok, format!("{cores}"), "")
    } else {
        check("cores", Status::Warn, "1", "app, database and load generator will share one core; results are noisy")
    };
    let mut system = System::new();
    system.refresh_memory();
    let gib = system.total_memory() as f64 / (1u64 << 30) as f64;
    let memory_check = match gib {
        g if g < 4.0 => check("memory", Status::Fail, format!("{g:.1} GiB"), "bakeoff needs at least 4 GiB (database 2 GiB + app + generator)"),
        g if g < 8.0 => check("memory", Status::Warn, format!("{g:.1} GiB"), "8 GiB or more lets apps keep their default limits"),
        g => check("memory", Status::Ok, format!("{g:.1} GiB"), ""),
    };
    vec![cores_check, memory_check]
}

fn disk_check(root_dir: &str) -> Check {
    let path = if root_dir.is_empty() { "/" } else { root_dir };
    let disks = Disks::new_with_refreshed_list();
    let disk = disks.list().iter().filter(|d| Path::new(path).starts_with(d.mount_point())).max_by_key(|d| d.mount_point().as_os_str().len());
    let Some(disk) = disk else {
        return check("free disk", Status::Warn, format!("cannot tell for {path}"), "");
    };
    let gib = disk.available_space() as f64 / (1u64 << 30) as f64;
    let detail = format!("{gib:.1} GiB free at {}", disk.mount_point().display());
    match gib {
        g if g < 3.0 => check("free disk", Status::Fail, detail, "images and the database need at least 3 GiB; free some space"),
        g if g < 10.0 => check("free disk", Status::Warn, detail, "a full bake-off's images take ~10 GiB"),
        _ => check("free disk", Status::Ok, detail, ""),
    }
}

/// debootstrap is needed only when neither a registry nor a built base image is at hand.
fn debootstrap_check(base_at_hand: bool) -> Check {
    let found = std::env::var_os("PATH").map(|paths| std::env::split_paths(&paths).any(|p| p.join("debootstrap").is_file())).unwrap_or(false);
    match (found, base_at_hand) {
        (true, _) => check("debootstrap", Status::Ok, "found", ""),
        (false, true) => check("debootstrap", Status::Ok, "not needed", ""),
        (false, false) => check("debootstrap", Status::Fail, "missing, and no registry or base image", "apt-get install debootstrap (as root)"),
    }
}

/// The first line of `text`, cut to 90 characters.
pub(crate) fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(90) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
