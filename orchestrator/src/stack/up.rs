//! `bakeoff up APP...`: apps started beside the seeded database with the limits of a run, left
//! running for a person to use.

use crate::config::Config;
use crate::hosts::Placement;
use crate::images::apps::AppManifest;

use super::{AppLimits, Stack};

/// An app `up` started: where it answers and which container it is.
#[derive(Debug, Clone)]
pub struct StartedApp {
    pub app: String,
    pub container: String,
    /// Where the app's port is published: the app engine's reach address and the port.
    pub address: String,
    pub port: u16,
    pub health_path: String,
    /// The docker command for its engine: `docker`, or `docker -H ADDRESS` on another engine.
    pub docker: String,
}

/// The docker command for `engine`: plain `docker` for the orchestrator's own engine.
pub fn docker_command(placement: &Placement, engine: &crate::docker::Engine) -> String {
    if engine.host() == placement.local.host() {
        "docker".into()
    } else {
        format!("docker -H {}", engine.host())
    }
}

/// Builds each app's image if needed (on the app's engine, or copied there: [`Placement::app_image`])
/// and starts it there on `stack` with [`AppLimits::measured`], waiting until its health path answers.
pub async fn start_apps(placement: &Placement, config: &Config, stack: &Stack, apps: &[AppManifest]) -> anyhow::Result<Vec<StartedApp>> {
    let engine = &placement.app.engine;
    let limits = AppLimits::measured(config);
    let mut started = Vec::new();
    for app in apps {
        placement.app_image(config, app).await?;
        let running = stack.start_app(engine, app, &limits).await?;
        let address = engine.reach_as().to_string();
        started.push(StartedApp {
            app: app.id.clone(),
            container: running.container,
            address,
            port: running.port,
            health_path: app.health_path.clone(),
            docker: docker_command(placement, engine),
        });
    }
    Ok(started)
}
