//! Networks, volumes and containers: create labelled, start, restart, find the published port, wait for
//! readiness, read logs.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::models::{
    ContainerCreateBody, EndpointSettings, HostConfig, Mount, MountType, NetworkCreateRequest, NetworkingConfig, PortBinding, VolumeCreateRequest,
};
use bollard::query_parameters as q;
use futures_util::StreamExt;

use super::wait::{http_answers, sql_answers};
use super::{labels, ContainerSpec, DockerError, Engine, Readiness, Result, WaitFor};

impl Engine {
    /// Creates a labelled bridge network.
    pub async fn create_network(&self, name: &str) -> Result<()> {
        let request = NetworkCreateRequest {
            name: name.to_string(),
            driver: Some("bridge".into()),
            labels: Some(labels::for_object(&self.run_id, "network")),
            ..Default::default()
        };
        let created = self.docker.create_network(request).await;
        created.map_err(|source| DockerError::Create { kind: "network", name: name.into(), source })?;
        Ok(())
    }

    /// Creates a labelled named volume.
    pub async fn create_volume(&self, name: &str, app: &str) -> Result<()> {
        let request = VolumeCreateRequest { name: Some(name.to_string()), labels: Some(labels::for_object(&self.run_id, app)), ..Default::default() };
        let created = self.docker.create_volume(request).await;
        created.map_err(|source| DockerError::Create { kind: "volume", name: name.into(), source })?;
        Ok(())
    }

    /// Creates and starts a labelled container.
    pub async fn start_container(&self, spec: &ContainerSpec) -> Result<()> {
        let options = q::CreateContainerOptionsBuilder::default().name(&spec.name).build();
        let body = container_body(spec, &self.run_id, &self.publish_on);
        let created = self.docker.create_container(Some(options), body).await;
        created.map_err(|source| DockerError::Create { kind: "container", name: spec.name.clone(), source })?;
        let started = self.docker.start_container(&spec.name, None).await;
        started.map_err(|source| DockerError::Start { name: spec.name.clone(), source })
    }

    /// Restarts a container: its stop signal, up to `timeout` for it to exit (then SIGKILL), start.
    /// A published port may change: ask [`Engine::host_port`] again afterwards.
    pub async fn restart_container(&self, name: &str, timeout: Duration) -> Result<()> {
        let options = q::RestartContainerOptionsBuilder::default().t(timeout.as_secs().min(i32::MAX as u64) as i32).build();
        let restarted = self.docker.restart_container(name, Some(options)).await;
        restarted.map_err(|source| DockerError::Restart { name: name.into(), source })
    }

    /// The host port (on the engine's publish address) the engine published for the container's `port`.
    pub async fn host_port(&self, name: &str, port: u16) -> Result<u16> {
        let inspected = self.docker.inspect_container(name, None).await;
        let inspected = inspected.map_err(|source| DockerError::Inspect { name: name.into(), source })?;
        let ports = inspected.network_settings.and_then(|n| n.ports).unwrap_or_default();
        ports
            .get(&format!("{port}/tcp"))
            .and_then(|b| b.as_ref())
            .and_then(|b| b.iter().find_map(|b| b.host_port.as_ref()?.parse().ok()))
            .ok_or(DockerError::NoPort { name: name.into(), port })
    }

    /// The container's address on `network`: the host reaches it directly on a Linux bridge,
    /// without the published port's proxy (which accepts connections before the app listens).
    pub async fn container_ip(&self, name: &str, network: &str) -> Result<std::net::IpAddr> {
        let inspected = self.docker.inspect_container(name, None).await;
        let inspected = inspected.map_err(|source| DockerError::Inspect { name: name.into(), source })?;
        let networks = inspected.network_settings.and_then(|n| n.networks).unwrap_or_default();
        networks.get(network).and_then(|e| e.ip_address.as_ref()).and_then(|ip| ip.parse().ok()).ok_or(DockerError::NoPort { name: name.into(), port: 0 })
    }

    /// Freezes every process of a container (it uses no CPU until `unpause`).
    pub async fn pause(&self, name: &str) -> Result<()> {
        self.docker.pause_container(name).await.map_err(|source| DockerError::Pause { action: "pausing", name: name.into(), source })
    }

    /// Thaws a paused container.
    pub async fn unpause(&self, name: &str) -> Result<()> {
        self.docker.unpause_container(name).await.map_err(|source| DockerError::Pause { action: "unpausing", name: name.into(), source })
    }

    /// None while the container runs; its exit code once it stopped.
    pub async fn exit_code(&self, name: &str) -> Result<Option<i64>> {
        let inspected = self.docker.inspect_container(name, None).await;
        let state = inspected.map_err(|source| DockerError::Inspect { name: name.into(), source })?.state.unwrap_or_default();
        Ok(if state.running.unwrap_or(false) { None } else { Some(state.exit_code.unwrap_or(-1)) })
    }

    /// True while the container runs (false once it exited).
    pub async fn running(&self, name: &str) -> Result<bool> {
        Ok(self.exit_status(name).await?.is_none())
    }

    /// Waits until `readiness` holds; fails early if the container exits, and with its last log
    /// lines on timeout.
    pub async fn wait_ready(&self, name: &str, readiness: &Readiness) -> Result<()> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.exit_status(name).await? {
                let logs = self.last_logs(name, 30).await;
                return Err(DockerError::Exited { name: name.into(), status, what: readiness.wait_for.to_string(), logs });
            }
            if holds(&readiness.wait_for, &self.reach_as).await {
                return Ok(());
            }
            if started.elapsed() >= readiness.timeout {
                let logs = self.last_logs(name, 30).await;
                let waited_s = readiness.timeout.as_secs();
                return Err(DockerError::NotReady { name: name.into(), what: readiness.wait_for.to_string(), waited_s, logs });
            }
            tokio::time::sleep(readiness.poll).await;
        }
    }

    /// None while the container runs; once it stopped, how: its exit status, and whether the
    /// kernel killed it for want of memory.
    async fn exit_status(&self, name: &str) -> Result<Option<String>> {
        let inspected = self.docker.inspect_container(name, None).await;
        let inspected = inspected.map_err(|source| DockerError::Inspect { name: name.into(), source })?;
        let state = inspected.state.unwrap_or_default();
        if state.running.unwrap_or(false) {
            return Ok(None);
        }
        let code = state.exit_code.map(|c| c.to_string()).unwrap_or_else(|| "unknown".into());
        let oom = if state.oom_killed.unwrap_or(false) { ", killed for want of memory (OOM): raise its memory limit" } else { "" };
        Ok(Some(format!("exit status {code}{oom}")))
    }

    /// The container's last `lines` lines of stdout and stderr (empty if they cannot be read).
    pub async fn last_logs(&self, name: &str, lines: usize) -> String {
        let options = q::LogsOptionsBuilder::default().stdout(true).stderr(true).tail(&lines.to_string()).build();
        self.read_logs(name, options).await
    }

    /// Everything the container wrote to stdout so far (empty if it cannot be read).
    pub async fn stdout(&self, name: &str) -> String {
        let options = q::LogsOptionsBuilder::default().stdout(true).stderr(false).build();
        self.read_logs(name, options).await
    }

    async fn read_logs(&self, name: &str, options: q::LogsOptions) -> String {
        let mut stream = self.docker.logs(name, Some(options));
        let mut text = String::new();
        let deadline = tokio::time::sleep(Duration::from_secs(5));
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                chunk = stream.next() => match chunk {
                    Some(Ok(output)) => text.push_str(&String::from_utf8_lossy(&output.into_bytes())),
                    _ => break,
                },
                _ = &mut deadline => break,
            }
        }
        text
    }
}

fn container_body(spec: &ContainerSpec, run_id: &str, publish_on: &str) -> ContainerCreateBody {
    let exposed = spec.publish_port.map(|p| vec![format!("{p}/tcp")]);
    let networking = spec.network.as_ref().map(|network| NetworkingConfig {
        endpoints_config: Some(HashMap::from([(network.clone(), EndpointSettings { aliases: Some(spec.network_aliases.clone()), ..Default::default() })])),
    });
    ContainerCreateBody {
        image: Some(spec.image.clone()),
        env: Some(spec.env.clone()),
        cmd: (!spec.cmd.is_empty()).then(|| spec.cmd.clone()),
        labels: Some(labels::for_object(run_id, &spec.app)),
        exposed_ports: exposed,
        host_config: Some(host_config(spec, publish_on)),
        networking_config: networking,
        ..Default::default()
    }
}

fn host_config(spec: &ContainerSpec, publish_on: &str) -> HostConfig {
    let port_bindings = spec.publish_port.map(|p| {
        let binding = PortBinding { host_ip: Some(publish_on.into()), host_port: Some(spec.host_port.map(|p| p.to_string()).unwrap_or_default()) };
        HashMap::from([(format!("{p}/tcp"), Some(vec![binding]))])
    });
    let mounts = spec
        .volumes
        .iter()
        .map(|(source, target)| Mount { source: Some(source.clone()), target: Some(target.clone()), typ: Some(MountType::VOLUME), ..Default::default() })
        .collect();
    HostConfig {
        network_mode: spec.network.clone(),
        port_bindings,
        mounts: Some(mounts),
        memory: spec.memory_bytes,
        memory_swap: spec.memory_bytes,
        cpuset_cpus: spec.cpuset_cpus.clone(),
        nano_cpus: spec.nano_cpus,
        shm_size: spec.shm_size_bytes,
        init: Some(true),
        ..Default::default()
    }
}

/// One probe of a readiness condition.
async fn holds(wait_for: &WaitFor, reach_as: &str) -> bool {
    match wait_for {
        WaitFor::Http { port, path, status } => http_answers(reach_as, *port, path, *status).await,
        WaitFor::Sql { url, query, .. } => sql_answers(url, query).await,
    }
}
