//! `bakeoff up APP...`: apps started beside the seeded database with the limits of a run, left
//! running for a person to use.

use crate::config::Config;
use crate::docker::Engine;
use crate::images::{self, apps::AppManifest};

use super::{AppLimits, Stack};

/// An app `up` started: where it answers and which container it is.
#[derive(Debug, Clone)]
pub struct StartedApp {
    pub app: String,
    pub container: String,
    /// 127.0.0.1 port published for the app.
    pub port: u16,
    pub health_path: String,
}

/// Builds each app's image if needed and starts it on `stack` with [`AppLimits::measured`],
/// waiting until its health path answers.
pub async fn start_apps(engine: &Engine, config: &Config, stack: &Stack, apps: &[AppManifest]) -> anyhow::Result<Vec<StartedApp>> {
    if apps.is_empty() {
        return Ok(Vec::new());
    }
    images::ensure_base(engine, &config.images, false).await?;
    let limits = AppLimits::measured(config);
    let mut started = Vec::new();
    for app in apps {
        images::apps::build_app(engine, app).await?;
        let running = stack.start_app(engine, app, &limits).await?;
        started.push(StartedApp { app: app.id.clone(), container: running.container, port: running.port, health_path: app.health_path.clone() });
    }
    Ok(started)
}
