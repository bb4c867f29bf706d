//! The one facade over the Docker engine (bollard). Every object it creates is labelled with the
//! manager, the session's run id and the app, and clean-up always goes by those labels.

mod error;
pub mod labels;
mod stats;
mod wait;

use std::collections::HashMap;
use std::time::Duration;

use bollard::query_parameters as q;
use bollard::Docker;
use futures_util::StreamExt;

pub use build::{context_tar, BuildRequest};
pub use error::DockerError;
pub use labels::Scope;
pub use stats::ResourceSample;
pub use wait::{Readiness, WaitFor};

type Result<T> = std::result::Result<T, DockerError>;

/// A connected engine, bound to the session (run id) whose objects it creates.
#[derive(Clone)]
pub struct Engine {
    docker: Docker,
    host: String,
    run_id: String,
    /// The host address ports are published on (127.0.0.1 unless placed elsewhere).
    publish_on: String,
    /// The address the orchestrator and other engines reach those ports at.
    reach_as: String,
}

/// What a container should be.
#[derive(Debug, Clone, Default)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    /// The kebab-case app id (or `postgres`) for the `bakeoff.app` label.
    pub app: String,
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub network: Option<String>,
    pub network_aliases: Vec<String>,
    /// Container port published on 127.0.0.1 at a port the engine picks …
    pub publish_port: Option<u16>,
    /// … or at this host port.
    pub host_port: Option<u16>,
    /// `(volume name, mount path)` pairs.
    pub volumes: Vec<(String, String)>,
    pub memory_bytes: Option<i64>,
    pub cpuset_cpus: Option<String>,
    pub nano_cpus: Option<i64>,
    pub shm_size_bytes: Option<i64>,
}

/// What a clean-up removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub containers: usize,
    pub networks: usize,
    pub volumes: usize,
}

/// The engine's facts that `doctor` and results record.
#[derive(Debug, Clone, Default)]
pub struct EngineFacts {
    pub version: String,
    pub api_version: String,
    pub storage_driver: String,
    pub cgroup_version: String,
    pub root_dir: String,
    pub cpus: i64,
    pub memory_bytes: i64,
}

impl Engine {
    /// Connects to `host` (`unix://…` or `tcp://…`), negotiates the API version and pings.
    pub async fn connect(host: &str, run_id: &str) -> Result<Engine> {
        Engine::connect_to(host, "", run_id).await
    }

    /// [`Engine::connect`] for `unix://`, `tcp://` (with TLS when `cert_dir` holds `ca.pem`,
    /// `cert.pem` and `key.pem`) or `ssh://` (bollard's `ssh` transport, which runs the `ssh` command).
    pub async fn connect_to(host: &str, cert_dir: &str, run_id: &str) -> Result<Engine> {
        let unreachable = |source| DockerError::Unreachable { host: host.to_string(), source };
        let docker = if host.starts_with("unix://") || host.starts_with('/') {
            Docker::connect_with_unix(host, 120, bollard::API_DEFAULT_VERSION)
        } else if host.starts_with("ssh://") {
            Docker::connect_with_ssh(host, 120, bollard::API_DEFAULT_VERSION, None)
        } else if !cert_dir.is_empty() {
            let dir = std::path::Path::new(cert_dir);
            if let Some(missing) = ["ca.pem", "cert.pem", "key.pem"].into_iter().find(|f| !dir.join(f).is_file()) {
                return Err(DockerError::Certificates { host: host.to_string(), dir: cert_dir.to_string(), missing });
            }
            Docker::connect_with_ssl(host, &dir.join("key.pem"), &dir.join("cert.pem"), &dir.join("ca.pem"), 120, bollard::API_DEFAULT_VERSION)
        } else {
            Docker::connect_with_host(host)
        }
        .map_err(unreachable)?;
        let ping = tokio::time::timeout(Duration::from_secs(10), docker.ping());
        match ping.await {
            Ok(answer) => answer.map_err(unreachable)?,
            Err(_) => return Err(unreachable(bollard::errors::Error::RequestTimeoutError)),
        };
        let docker = docker.negotiate_version().await.map_err(unreachable)?;
        let local = "127.0.0.1".to_string();
        let engine = Engine { docker, host: host.to_string(), run_id: run_id.to_string(), publish_on: local.clone(), reach_as: local };
        engine.require_api_1_41().await?;
        Ok(engine)
    }

    async fn require_api_1_41(&self) -> Result<()> {
        let facts = self.facts().await?;
        let mut parts = facts.api_version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        if (major, minor) < (1, 41) {
            return Err(DockerError::TooOld { host: self.host.clone(), api: facts.api_version });
        }
        Ok(())
    }

    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// This engine publishing ports on `publish_on`, reached by others at `reach_as`.
    pub fn placed(self, publish_on: &str, reach_as: &str) -> Engine {
        Engine { publish_on: publish_on.to_string(), reach_as: reach_as.to_string(), ..self }
    }

    /// The address the orchestrator and other engines reach this engine's published ports at.
    pub fn reach_as(&self) -> &str {
        &self.reach_as
    }

    /// The engine's clock minus the orchestrator's, in ms, and the round trip of the question:
    /// the engine's time (`/info` SystemTime) is compared with the local time halfway through the
    /// request. Of five questions, the one with the shortest round trip counts (the engine reads
    /// its clock somewhere inside a request that may take long).
    pub async fn clock_offset_ms(&self) -> Result<(f64, f64)> {
        let mut best: Option<(f64, f64)> = None;
        for _ in 0..5 {
            let sample = self.clock_sample().await?;
            if best.is_none_or(|(_, rtt)| sample.1 < rtt) {
                best = Some(sample);
            }
        }
        Ok(best.expect("five samples"))
    }

    async fn clock_sample(&self) -> Result<(f64, f64)> {
        let sent = jiff::Timestamp::now();
        let info = self.docker.info().await.map_err(|source| DockerError::Query { what: "info", source })?;
        let received = jiff::Timestamp::now();
        let text = info.system_time.unwrap_or_default();
        let theirs: jiff::Timestamp = text.parse().map_err(|_| DockerError::Clock { host: self.host.clone(), time: text.clone() })?;
        let round_trip_ms = (received.as_nanosecond() - sent.as_nanosecond()) as f64 / 1e6;
        let midpoint_ns = sent.as_nanosecond() + (received.as_nanosecond() - sent.as_nanosecond()) / 2;
        Ok(((theirs.as_nanosecond() - midpoint_ns) as f64 / 1e6, round_trip_ms))
    }

    /// Version, API version, storage driver, cgroup version and capacity of the engine.
    pub async fn facts(&self) -> Result<EngineFacts> {
        let query = |what| move |source| DockerError::Query { what, source };
        let version = self.docker.version().await.map_err(query("version"))?;
        let info = self.docker.info().await.map_err(query("info"))?;
        Ok(EngineFacts {
            version: version.version.unwrap_or_default(),
            api_version: version.api_version.unwrap_or_default(),
            storage_driver: info.driver.unwrap_or_default(),
            cgroup_version: info.cgroup_version.map(|v| v.to_string()).unwrap_or_default(),
            root_dir: info.docker_root_dir.unwrap_or_default(),
            cpus: info.ncpu.unwrap_or_default(),
            memory_bytes: info.mem_total.unwrap_or_default(),
        })
    }

    /// The labels of image `tag`, or `None` when the engine has no such image.
    pub async fn image_labels(&self, tag: &str) -> Result<Option<HashMap<String, String>>> {
        match self.docker.inspect_image(tag).await {
            Ok(image) => Ok(Some(image.config.and_then(|c| c.labels).unwrap_or_default())),
            Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(None),
            Err(source) => Err(DockerError::InspectImage { tag: tag.to_string(), source }),
        }
    }

    /// The id of image `tag`, or `None` when the engine has no such image.
    pub async fn image_id(&self, tag: &str) -> Result<Option<String>> {
        match self.docker.inspect_image(tag).await {
            Ok(image) => Ok(image.id),
            Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(None),
            Err(source) => Err(DockerError::InspectImage { tag: tag.to_string(), source }),
        }
    }

    /// Size in bytes and id of image `tag`.
    pub async fn image_size(&self, tag: &str) -> Result<(i64, String)> {
        let image = self.docker.inspect_image(tag).await;
        let image = image.map_err(|source| DockerError::InspectImage { tag: tag.to_string(), source })?;
        Ok((image.size.unwrap_or_default(), image.id.unwrap_or_default()))
    }

    /// The registry digest of image `tag` (`name@sha256:…`), if it came from a registry.
    pub async fn repo_digest(&self, tag: &str) -> Result<Option<String>> {
        let image = self.docker.inspect_image(tag).await;
        let image = image.map_err(|source| DockerError::InspectImage { tag: tag.to_string(), source })?;
        Ok(image.repo_digests.and_then(|d| d.into_iter().next()))
    }

    /// Whether the engine can reach a registry that serves `reference` (asks the registry, pulls nothing).
    pub async fn registry_serves(&self, reference: &str) -> std::result::Result<(), String> {
        let ask = self.docker.inspect_registry_image(reference, None);
        match tokio::time::timeout(Duration::from_secs(15), ask).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("no answer within 15 s".to_string()),
        }
    }

    /// Pulls `reference` from a registry.
    pub async fn pull(&self, reference: &str) -> Result<()> {
        let options = q::CreateImageOptionsBuilder::default().from_image(reference).build();
        let mut progress = self.docker.create_image(Some(options), None, None);
        while let Some(step) = progress.next().await {
            step.map_err(|source| DockerError::Import { tag: reference.to_string(), source })?;
        }
        Ok(())
    }
}

mod build;
mod cleanup;
mod containers;
mod transfer;
