//! Roles on engines: the engine of each role of `hosts:` (app, database, load generators),
//! connected once per address and bound to one session, the images each needs (built there, or
//! copied from the orchestrator's own engine), and clean-up on every one of them.

pub mod load;
pub mod paths;

use thiserror::Error;

use crate::config::{Config, HostConfig};
use crate::docker::{DockerError, Engine, Removed, Scope};
use crate::images::{self, apps::AppManifest, ImageInfo, ImagesError};

#[derive(Debug, Error)]
pub enum HostsError {
    #[error("the engine of {key} ({address}) cannot be used: {source}\n  fix {key}.address (or {key}.cert_dir), or start that engine")]
    Connect {
        key: String,
        address: String,
        #[source]
        source: DockerError,
    },
    #[error(transparent)]
    Images(#[from] ImagesError),
    #[error(transparent)]
    Docker(#[from] DockerError),
}

/// One role's engine and its entry of `hosts:`.
#[derive(Clone)]
pub struct Placed {
    /// The config key of the entry (`hosts.app`, `hosts.load[0]`).
    pub key: String,
    pub host: HostConfig,
    /// The engine, publishing on `host.publish_on`, reached at `host.reach_as`.
    pub engine: Engine,
}

/// The engines of one session: one per role, and the orchestrator's own (`docker.host`), where
/// images are built for hosts that may not build.
#[derive(Clone)]
pub struct Placement {
    pub app: Placed,
    pub db: Placed,
    pub load: Vec<Placed>,
    pub local: Engine,
}

/// Every entry of `hosts:` with its config key, app and db first.
pub fn entries(config: &Config) -> Vec<(String, HostConfig)> {
    let mut all = vec![("hosts.app".to_string(), config.hosts.app.clone()), ("hosts.db".to_string(), config.hosts.db.clone())];
    all.extend(config.hosts.load.iter().enumerate().map(|(i, h)| (format!("hosts.load[{i}]"), h.clone())));
    all
}

/// Connects the engine of `host` (at config key `key`) for session `run_id`.
pub async fn connect_entry(config: &Config, key: &str, host: &HostConfig, run_id: &str) -> Result<Engine, HostsError> {
    let address = host.address_or(&config.docker.host);
    let engine = Engine::connect_to(address, &host.cert_dir, run_id).await;
    let engine = engine.map_err(|source| HostsError::Connect { key: key.to_string(), address: address.to_string(), source })?;
    Ok(engine.placed(&host.publish_on, &host.reach_as))
}

impl Placement {
    /// Connects every role's engine (each address once) for session `run_id`.
    pub async fn connect(config: &Config, run_id: &str) -> Result<Placement, HostsError> {
        let local = connect_entry(config, "docker.host", &HostConfig::default(), run_id).await?;
        let mut placed = Vec::new();
        for (key, host) in entries(config) {
            let address = host.address_or(&config.docker.host);
            let engine = match placed.iter().find(|p: &&Placed| p.engine.host() == address) {
                Some(known) => known.engine.clone().placed(&host.publish_on, &host.reach_as),
                None if address == local.host() => local.clone().placed(&host.publish_on, &host.reach_as),
                None => connect_entry(config, &key, &host, run_id).await?,
            };
            placed.push(Placed { key, host, engine });
        }
        let mut roles = placed.into_iter();
        let (app, db) = (roles.next().expect("hosts.app"), roles.next().expect("hosts.db"));
        Ok(Placement { app, db, load: roles.collect(), local })
    }

    /// App and database on different engines.
    pub fn split(&self) -> bool {
        self.app.engine.host() != self.db.engine.host()
    }

    /// Each engine once (the orchestrator's own first): where clean-up looks.
    pub fn engines(&self) -> Vec<Engine> {
        let mut all: Vec<Engine> = vec![self.local.clone()];
        for placed in [&self.app, &self.db].into_iter().chain(&self.load) {
            if !all.iter().any(|e| e.host() == placed.engine.host()) {
                all.push(placed.engine.clone());
            }
        }
        all
    }

    /// The PostgreSQL image on the database's engine: built there, or built on the orchestrator's
    /// engine and copied when `hosts.db.build` is false.
    pub async fn postgres_image(&self, config: &Config) -> Result<ImageInfo, HostsError> {
        if self.db.host.build || self.db.engine.host() == self.local.host() {
            return Ok(images::ensure_postgres(&self.db.engine, &config.images, false).await?);
        }
        let image = images::ensure_postgres(&self.local, &config.images, false).await?;
        self.local.copy_image_to(&self.db.engine, &image.tag).await?;
        Ok(image)
    }

    /// The app's image on the app's engine, the same way as [`Placement::postgres_image`].
    pub async fn app_image(&self, config: &Config, app: &AppManifest) -> Result<(), HostsError> {
        let builder = if self.app.host.build { &self.app.engine } else { &self.local };
        images::ensure_base(builder, &config.images, false).await?;
        images::apps::build_app(builder, app).await?;
        if builder.host() != self.app.engine.host() {
            builder.copy_image_to(&self.app.engine, &app.image_tag()).await?;
        }
        Ok(())
    }
}

/// What `scope` held on one engine, with the engine's address.
pub struct RemovedOn {
    pub host: String,
    pub removed: Result<Removed, DockerError>,
}

/// Removes what `scope` holds on every engine of the config (each address once). An engine that
/// cannot be reached is reported, and the others are still cleaned.
pub async fn remove_everywhere(config: &Config, scope: &Scope) -> Vec<RemovedOn> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let local = ("docker.host".to_string(), HostConfig::default());
    for (_, host) in std::iter::once(local).chain(entries(config)) {
        let address = host.address_or(&config.docker.host).to_string();
        if seen.contains(&address) {
            continue;
        }
        seen.push(address.clone());
        let removed = match Engine::connect_to(&address, &host.cert_dir, "down").await {
            Ok(engine) => engine.remove(scope).await,
            Err(e) => Err(e),
        };
        out.push(RemovedOn { host: address, removed });
    }
    out
}
