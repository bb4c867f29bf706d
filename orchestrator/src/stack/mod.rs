//! The running stack of a session: a private bridge network and the PostgreSQL container on it.

mod app;
#[cfg(test)]
mod compose;
mod postgres;
pub mod up;

use std::time::Duration;

use thiserror::Error;

use crate::config::Config;
use crate::docker::{ContainerSpec, DockerError, Engine, Readiness, WaitFor};
use crate::hosts::Placement;
use crate::images::{self, ImagesError};

pub use app::{AppLimits, RunningApp};
pub use postgres::settings as postgres_settings;

/// The port PostgreSQL listens on inside the network.
pub const POSTGRES_PORT: u16 = 5432;
/// The name apps use to reach the database on the stack's network.
pub const POSTGRES_ALIAS: &str = "postgres";

#[derive(Debug, Error)]
pub enum StackError {
    #[error(transparent)]
    Docker(#[from] DockerError),
    #[error(transparent)]
    Images(#[from] ImagesError),
    #[error(transparent)]
    Hosts(#[from] crate::hosts::HostsError),
    #[error("connecting to PostgreSQL at {url} failed: {source}")]
    Connect {
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
}

/// A started stack: where its database answers, from the host and from the network.
#[derive(Debug, Clone)]
pub struct Stack {
    pub network: String,
    /// The volume holding the database's files.
    pub volume: String,
    pub postgres_container: String,
    /// Port published for PostgreSQL (on the database engine's publish address).
    pub postgres_host_port: u16,
    /// Connection URL from the host.
    pub host_url: String,
    /// Connection URL from an app container (on the stack's network, or from another engine).
    pub network_url: String,
}

impl Stack {
    /// Builds the images if needed, then starts the network and PostgreSQL and waits until it
    /// answers queries.
    pub async fn start(engine: &Engine, config: &Config) -> Result<Stack, StackError> {
        Stack::start_named(engine, config, "").await
    }

    /// [`Stack::start`] with `suffix` added to the names of its network, container and volume, so a
    /// session can hold a second stack beside its first (a change check's own database).
    pub async fn start_named(engine: &Engine, config: &Config, suffix: &str) -> Result<Stack, StackError> {
        let image = images::ensure_postgres(engine, &config.images, false).await?;
        Stack::launch(engine, config, &image.tag, suffix).await
    }

    /// The stack placed on the roles' engines: PostgreSQL on the database's engine; when the app's
    /// engine is another, a network of the same name there for the apps, whose database URL is
    /// the database host's `reach_as` and PostgreSQL's published port.
    pub async fn start_placed(placement: &Placement, config: &Config) -> Result<Stack, StackError> {
        let image = placement.postgres_image(config).await?;
        let stack = Stack::launch(&placement.db.engine, config, &image.tag, "").await?;
        if !placement.split() {
            return Ok(stack);
        }
        placement.app.engine.create_network(&stack.network).await?;
        let pg = &config.postgres;
        let reach = &placement.db.host.reach_as;
        let network_url = format!("postgres://{}:{}@{reach}:{}/{}", pg.user, pg.password, stack.postgres_host_port, pg.database);
        Ok(Stack { network_url, ..stack })
    }

    /// Starts the network, volume and PostgreSQL from image `tag` and waits until it answers.
    async fn launch(engine: &Engine, config: &Config, tag: &str, suffix: &str) -> Result<Stack, StackError> {
        let run = engine.run_id();
        let network = format!("bakeoff-{run}{suffix}");
        let container = format!("bakeoff-{run}{suffix}-postgres");
        let volume = format!("bakeoff-{run}{suffix}-pgdata");
        engine.create_network(&network).await?;
        engine.create_volume(&volume, "postgres").await?;
        let pg = &config.postgres;
        let spec = ContainerSpec {
            name: container.clone(),
            image: tag.to_string(),
            app: "postgres".into(),
            env: vec![format!("POSTGRES_USER={}", pg.user), format!("POSTGRES_PASSWORD={}", pg.password), format!("POSTGRES_DB={}", pg.database)],
            cmd: postgres::args(&postgres::settings(pg.memory_mb, pg.max_connections)),
            network: Some(network.clone()),
            network_aliases: vec![POSTGRES_ALIAS.into()],
            publish_port: Some(POSTGRES_PORT),
            volumes: vec![(volume.clone(), "/var/lib/postgresql/data".into())],
            memory_bytes: Some((pg.memory_mb * 1024 * 1024) as i64),
            cpuset_cpus: (!pg.cpuset.is_empty()).then(|| pg.cpuset.clone()),
            shm_size_bytes: Some(256 * 1024 * 1024),
            ..Default::default()
        };
        engine.start_container(&spec).await?;
        let port = engine.host_port(&container, POSTGRES_PORT).await?;
        let credentials = format!("{}:{}", pg.user, pg.password);
        let stack = Stack {
            network,
            volume,
            postgres_container: container,
            postgres_host_port: port,
            host_url: host_url(pg, engine.reach_as(), port),
            network_url: format!("postgres://{credentials}@{POSTGRES_ALIAS}:{POSTGRES_PORT}/{}", pg.database),
        };
        stack.wait_answers(engine, "SELECT 1", Duration::from_secs(pg.startup_timeout_s)).await?;
        crate::session::panic_if_asked("stack", run);
        Ok(stack)
    }

    /// The stack after its database container was restarted: the engine may have published
    /// PostgreSQL on another host port, so the port is read again; waits until it answers.
    pub async fn after_restart(&self, engine: &Engine, config: &Config) -> Result<Stack, StackError> {
        let port = engine.host_port(&self.postgres_container, POSTGRES_PORT).await?;
        let stack = Stack { postgres_host_port: port, host_url: host_url(&config.postgres, engine.reach_as(), port), ..self.clone() };
        stack.wait_answers(engine, "SELECT 1", Duration::from_secs(config.postgres.startup_timeout_s)).await?;
        Ok(stack)
    }

    /// Waits until `query` runs on the stack's database.
    pub async fn wait_answers(&self, engine: &Engine, query: &str, timeout: Duration) -> Result<(), StackError> {
        let wait_for = WaitFor::Sql { port: self.postgres_host_port, url: self.host_url.clone(), query: query.into() };
        engine.wait_ready(&self.postgres_container, &Readiness::new(wait_for, timeout)).await?;
        Ok(())
    }

    /// Declares the stack ready for apps: a query on the seeded tables answers.
    pub async fn wait_seeded(&self, engine: &Engine) -> Result<(), StackError> {
        self.wait_answers(engine, "SELECT id FROM products LIMIT 1", Duration::from_secs(30)).await
    }

    /// Removes the stack's database container, volume and network (app containers on the
    /// network must be gone first). Everything else of the session stays — the apps' network
    /// on another engine of a placed stack ([`Stack::start_placed`]) too, until the session's
    /// clean-up.
    pub async fn remove(&self, engine: &Engine) -> Result<(), StackError> {
        engine.remove_container(&self.postgres_container).await?;
        engine.remove_volume(&self.volume).await?;
        engine.remove_network(&self.network).await?;
        Ok(())
    }

    /// A client connected from the host, its connection driven in the background.
    pub async fn connect(&self) -> Result<tokio_postgres::Client, StackError> {
        connect(&self.host_url).await
    }
}

/// The database's URL from the orchestrator: the engine's reach address (127.0.0.1 on one
/// machine) and the published `port`.
fn host_url(pg: &crate::config::PostgresConfig, reach_as: &str, port: u16) -> String {
    format!("postgres://{}:{}@{reach_as}:{port}/{}", pg.user, pg.password, pg.database)
}

/// A client for `url`, its connection driven in the background.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, StackError> {
    let (client, connection) =
        tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|source| StackError::Connect { url: url.to_string(), source })?;
    tokio::spawn(connection);
    Ok(client)
}
