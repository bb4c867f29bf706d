//! Starting an app container on the stack's network, with limits, until its health path answers.

use std::time::{Duration, Instant};

use crate::docker::{ContainerSpec, DockerError, Engine, Readiness, WaitFor};
use crate::images::apps::AppManifest;

use super::Stack;

/// The resources an app container gets.
#[derive(Debug, Clone, PartialEq)]
pub struct AppLimits {
    pub memory_mb: u64,
    /// Cpuset (`"0"`); empty for no pinning.
    pub cpuset: String,
    /// CPU quota in cores.
    pub cpus: f64,
    /// How long the app may take to answer its health path.
    pub startup_timeout: Duration,
}

/// A started, healthy app.
#[derive(Debug, Clone)]
pub struct RunningApp {
    pub container: String,
    /// 127.0.0.1 port published for the app.
    pub port: u16,
    /// From container start to the first healthy answer.
    pub cold_start: Duration,
}

impl AppLimits {
    /// The limits of an app under measurement (`run.app_*`), with verify's start-up timeout.
    pub fn measured(config: &crate::config::Config) -> AppLimits {
        let r = &config.run;
        AppLimits {
            memory_mb: r.app_memory_mb,
            cpuset: r.app_cpuset.clone(),
            cpus: r.app_cpus,
            startup_timeout: Duration::from_secs(config.verify.startup_timeout_s),
        }
    }
}

impl Stack {
    /// Starts `app` against this stack's database and waits until its health path answers 200.
    pub async fn start_app(&self, engine: &Engine, app: &AppManifest, limits: &AppLimits) -> Result<RunningApp, DockerError> {
        self.start_app_on(engine, app, limits, None).await
    }

    /// [`Stack::start_app`] published at `host_port` on 127.0.0.1 (None: a port the engine picks).
    pub async fn start_app_on(&self, engine: &Engine, app: &AppManifest, limits: &AppLimits, host_port: Option<u16>) -> Result<RunningApp, DockerError> {
        let spec = ContainerSpec { host_port, ..self.app_spec(engine, app, limits, "") };
        self.start_spec(engine, app, spec, limits).await
    }

    /// A second container of `app` named with `suffix`, with `env` added (`WORKERS=2`, say).
    pub async fn start_app_with(
        &self,
        engine: &Engine,
        app: &AppManifest,
        limits: &AppLimits,
        suffix: &str,
        env: &[String],
    ) -> Result<RunningApp, DockerError> {
        let mut spec = self.app_spec(engine, app, limits, suffix);
        spec.env.extend(env.iter().cloned());
        self.start_spec(engine, app, spec, limits).await
    }

    async fn start_spec(&self, engine: &Engine, app: &AppManifest, spec: ContainerSpec, limits: &AppLimits) -> Result<RunningApp, DockerError> {
        let started = Instant::now();
        engine.start_container(&spec).await?;
        let port = engine.host_port(&spec.name, app.port).await?;
        let wait_for = WaitFor::Http { port, path: app.health_path.clone(), status: 200 };
        let mut readiness = Readiness::new(wait_for, limits.startup_timeout);
        readiness.poll = Duration::from_millis(20);
        engine.wait_ready(&spec.name, &readiness).await?;
        Ok(RunningApp { container: spec.name, port, cold_start: started.elapsed() })
    }

    /// The container of `app` on this stack with `limits`, named `bakeoff-<run>-<app><suffix>`.
    pub fn app_spec(&self, engine: &Engine, app: &AppManifest, limits: &AppLimits, suffix: &str) -> ContainerSpec {
        ContainerSpec {
            name: format!("bakeoff-{}-{}{suffix}", engine.run_id(), app.id),
            image: app.image_tag(),
            app: app.id.clone(),
            env: vec![format!("DATABASE_URL={}", self.network_url), format!("PORT={}", app.port)],
            network: Some(self.network.clone()),
            publish_port: Some(app.port),
            memory_bytes: Some((limits.memory_mb * 1024 * 1024) as i64),
            cpuset_cpus: (!limits.cpuset.is_empty()).then(|| limits.cpuset.clone()),
            nano_cpus: Some((limits.cpus * 1e9) as i64),
            ..Default::default()
        }
    }
}
