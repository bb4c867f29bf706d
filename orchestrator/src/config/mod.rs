//! Configuration: one YAML document whose defaults are embedded in the binary. A user's file is
//! merged over the defaults key by key, so no file is needed and any subset of keys may be given.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

mod hosts;

pub use hosts::{HostConfig, HostsConfig};

/// The defaults, as shipped.
pub const DEFAULT_YAML: &str = include_str!("default.yaml");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub docker: DockerConfig,
    /// The engine of each role (app, database, load generators); by default all the local one.
    pub hosts: HostsConfig,
    pub images: ImagesConfig,
    pub postgres: PostgresConfig,
    pub dataset: DatasetConfig,
    pub verify: VerifyConfig,
    pub fuzz: FuzzConfig,
    pub run: RunConfig,
    pub paths: PathsConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    pub products: u64,
    pub warmup_s: f64,
    pub measure_s: f64,
    pub quick_products: u64,
    pub quick_warmup_s: f64,
    pub quick_measure_s: f64,
    /// The workloads measured, each with its steady arrival rate (requests per second) or null:
    /// derived from the capacity scenario (or `scenarios.steady.fallback_rps` without it).
    pub workloads: std::collections::BTreeMap<crate::load::WorkloadKind, Option<f64>>,
    pub mix: crate::load::MixShares,
    pub app_cpuset: String,
    pub app_cpus: f64,
    pub app_memory_mb: u64,
    /// CPUs the load threads are pinned to (one thread each).
    pub generator_cpus: Vec<usize>,
    /// Load threads under SCHED_FIFO where allowed (they sleep between sends, never spin).
    pub generator_realtime: bool,
    /// While measuring, hold the CPU-latency QoS at 0 µs so idle CPUs poll (off by default: on a
    /// busy host the hypervisor preempts always-busy virtual CPUs and wake-ups come ~90 ms late).
    pub generator_idle_polling: bool,
    pub connections: usize,
    pub queue_bound: usize,
    pub timeout_s: f64,
    pub slo: SloConfig,
    /// The scenarios `bakeoff run` runs (in this order; `--scenario` picks some) and their parameters.
    pub scenarios: ScenariosConfig,
}

/// Which scenarios run and how.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenariosConfig {
    /// Scenario names, run in this order for every app.
    pub enabled: Vec<String>,
    pub capacity: CapacityConfig,
    pub steady: SteadyConfig,
    pub spike: SpikeConfig,
    pub cold_start: ColdStartConfig,
    pub deploy: DeployConfig,
    pub db_restart: DbRestartConfig,
}

/// The cold-start scenario: fresh containers, their start-up milestones and warm-up curves.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ColdStartConfig {
    pub repetitions: usize,
    /// Seconds of the warm-up curve after each start.
    pub curve_s: f64,
    /// Rate of the curve; null: half the app's search capacity (else the steady search rate).
    pub rps: Option<f64>,
    pub quick_repetitions: usize,
    pub quick_curve_s: f64,
}

/// The capacity search: the highest rate that keeps p99 under the workload's SLO.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CapacityConfig {
    /// p99 a rate must keep, per workload, in ms.
    pub slo_p99_ms: std::collections::BTreeMap<crate::load::WorkloadKind, f64>,
    /// Largest share of failed requests a rate may have.
    pub max_error_rate: f64,
    /// First rate tried, per workload.
    pub start_rps: std::collections::BTreeMap<crate::load::WorkloadKind, f64>,
    /// Factor between rates while stepping up (> 1).
    pub growth: f64,
    /// Bisection stops when the bracket is this narrow (0.05: within 5 %).
    pub precision: f64,
    /// The search gives up above this rate ("≥ max_rps").
    pub max_rps: f64,
    pub step_warmup_s: f64,
    pub step_measure_s: f64,
    pub quick_step_warmup_s: f64,
    pub quick_step_measure_s: f64,
    pub quick_precision: f64,
    /// Factor between rates while stepping up in `--quick` (> 1; larger reaches the knee in
    /// fewer steps and leaves more to the bisection).
    pub quick_growth: f64,
}

/// The steady scenario: every app at the same rate, below every app's knee.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SteadyConfig {
    /// Share of the lowest capacity any measured app reached, per workload.
    pub share_of_lowest_capacity: f64,
    /// Rates used when neither `run.workloads` nor the capacity scenario gives one.
    pub fallback_rps: std::collections::BTreeMap<crate::load::WorkloadKind, f64>,
}

/// The spike scenario: a baseline, a burst of `factor` × baseline, back to baseline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SpikeConfig {
    pub workload: crate::load::WorkloadKind,
    /// Baseline rate; null: half the app's capacity (else the steady rate).
    pub base_rps: Option<f64>,
    pub factor: f64,
    pub before_s: f64,
    pub spike_s: f64,
    pub after_s: f64,
    pub quick_before_s: f64,
    pub quick_spike_s: f64,
    pub quick_after_s: f64,
}

/// The deploy scenario: a no-cache build, a rebuild after a one-line change, a restart under load.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeployConfig {
    pub workload: crate::load::WorkloadKind,
    /// Rate of the load during the restart; null: half this app's capacity for the workload, else
    /// the workload's steady rate.
    pub rps: Option<f64>,
    /// Seconds of load before SIGTERM, and after it.
    pub before_s: f64,
    pub after_s: f64,
    pub quick_before_s: f64,
    pub quick_after_s: f64,
    /// Seconds the old container gets between SIGTERM and SIGKILL.
    pub grace_s: u32,
    /// Build without the cache in `--quick` too (it takes minutes for compiled apps).
    pub quick_no_cache_build: bool,
}

/// The db-restart scenario: checkouts at a steady rate, PostgreSQL restarted in the middle.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbRestartConfig {
    /// Checkout funnels per second.
    pub rps: f64,
    /// Length of the phase and when in it the database is restarted, in seconds.
    pub total_s: f64,
    pub restart_at_s: f64,
    pub quick_total_s: f64,
    pub quick_restart_at_s: f64,
    /// Seconds PostgreSQL gets to shut down (fast shutdown, SIGINT) before it is killed.
    pub stop_timeout_s: u64,
}

/// Thresholds a measured phase must meet; `None` means not checked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SloConfig {
    pub p99_ms: Option<f64>,
    pub max_error_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VerifyConfig {
    /// Products in the catalogue apps are verified against.
    pub products: u64,
    /// Memory limit of an app container, in MiB.
    pub app_memory_mb: u64,
    /// Cpuset of an app container; empty for no pinning.
    pub app_cpuset: String,
    /// CPUs an app container may use (a quota; apps size workers from it).
    pub app_cpus: f64,
    pub startup_timeout_s: u64,
}

/// `bakeoff fuzz`: schemathesis against the contract's OpenAPI document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FuzzConfig {
    /// The schemathesis executable (`scripts/test` installs it); `BAKEOFF_SCHEMATHESIS` overrides it.
    pub schemathesis: PathBuf,
    /// The OpenAPI document fuzzed.
    pub schema: PathBuf,
    /// schemathesis.toml: what the contract says that the schema cannot (expected statuses).
    pub settings: PathBuf,
    /// Hypothesis seed: the same seed sends the same requests.
    pub seed: u64,
    /// Test cases per operation and phase.
    pub max_examples: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DockerConfig {
    /// Engine address (`unix://…`, `tcp://…`); `DOCKER_HOST` overrides it.
    pub host: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Tag of the local base image every image builds FROM.
    pub base_tag: String,
    /// Registry reference tried first for the base.
    pub registry_base: String,
    pub debootstrap_suite: String,
    pub debootstrap_mirror: String,
    /// Folder of `*.crt` CA certificates to trust inside images; empty for none.
    pub ca_dir: String,
    pub postgres_tag: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PostgresConfig {
    /// Memory limit of the database container, in MiB.
    pub memory_mb: u64,
    /// Cpuset of the database container (`"1"`, `"0-1"`); empty for no pinning.
    pub cpuset: String,
    pub max_connections: u32,
    pub startup_timeout_s: u64,
    pub user: String,
    pub password: String,
    pub database: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    /// Number of products generated.
    pub products: u64,
    /// Generator seed: the same seed gives byte-identical data.
    pub seed: u64,
    /// A catalogue read from a file (`--catalog`), loaded instead of the generated one.
    #[serde(skip)]
    pub catalog: Option<std::sync::Arc<crate::seed::Imported>>,
}

impl DatasetConfig {
    /// The catalogue to load: the file given with `--catalog`, else `products` generated
    /// products with the configured seed.
    pub fn with_products(&self, products: u64) -> crate::seed::Dataset {
        match &self.catalog {
            Some(imported) => crate::seed::Dataset::File(imported.clone()),
            None => crate::seed::Dataset::Generated(crate::seed::DatasetSpec { products, seed: self.seed }),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PathsConfig {
    /// Folder of app folders (each with an app.yaml).
    pub apps_dir: PathBuf,
    pub datasets_dir: PathBuf,
    pub results_dir: PathBuf,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {path} is not valid YAML: {message}")]
    Yaml { path: PathBuf, message: String },
    #[error("config file {path} does not fit bakeoff's configuration: {message}\n  `bakeoff config` prints every key with its default")]
    Shape { path: PathBuf, message: String },
    #[error("config value is invalid: {0}")]
    Invalid(String),
}

impl Config {
    /// The embedded defaults.
    pub fn defaults() -> Config {
        Self::from_value(parse(DEFAULT_YAML, Path::new("<defaults>")).expect("defaults parse"), Path::new("<defaults>")).expect("defaults fit the config")
    }

    /// The defaults with the file at `path` (if any) merged over them.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let mut merged = parse(DEFAULT_YAML, Path::new("<defaults>"))?;
        let Some(path) = path else { return Self::from_value(merged, Path::new("<defaults>")) };
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
        merge(&mut merged, parse(&text, path)?);
        let config = Self::from_value(merged, path)?;
        config.validate()?;
        Ok(config)
    }

    fn from_value(value: Value, path: &Path) -> Result<Config, ConfigError> {
        serde_json::from_value(value).map_err(|e| ConfigError::Shape { path: path.into(), message: e.to_string() })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.hosts.check().map_err(ConfigError::Invalid)?;
        if self.postgres.memory_mb < 256 {
            return Err(ConfigError::Invalid("postgres.memory_mb must be at least 256".into()));
        }
        if self.run.workloads.values().flatten().any(|r| r.is_nan() || *r <= 0.0) || self.run.connections == 0 {
            return Err(ConfigError::Invalid("run.workloads rates and run.connections must be > 0".into()));
        }
        let known = crate::scenario::NAMES;
        if let Some(unknown) = self.run.scenarios.enabled.iter().find(|n| !known.contains(&n.as_str())) {
            return Err(ConfigError::Invalid(format!("run.scenarios.enabled: unknown scenario `{unknown}`; known: {}", known.join(", "))));
        }
        let c = &self.run.scenarios.capacity;
        if c.growth <= 1.0 || c.quick_growth <= 1.0 || !(0.0..1.0).contains(&c.precision) || c.precision == 0.0 || c.start_rps.values().any(|r| *r <= 0.0) {
            return Err(ConfigError::Invalid("run.scenarios.capacity: growth and quick_growth must be > 1, precision in (0, 1), start rates > 0".into()));
        }
        let d = &self.run.scenarios.db_restart;
        if d.rps <= 0.0 || !(0.0..d.total_s).contains(&d.restart_at_s) || !(0.0..d.quick_total_s).contains(&d.quick_restart_at_s) {
            return Err(ConfigError::Invalid("run.scenarios.db_restart: rps must be > 0 and each restart_at_s within its total_s".into()));
        }
        if self.dataset.products < crate::seed::MIN_PRODUCTS {
            let min = crate::seed::MIN_PRODUCTS;
            return Err(ConfigError::Invalid(format!("dataset.products must be at least {min}")));
        }
        Ok(())
    }

    /// The effective configuration as YAML.
    pub fn to_yaml(&self) -> String {
        serde_saphyr::to_string(self).unwrap_or_else(|e| format!("# cannot print config: {e}\n"))
    }
}

fn parse(text: &str, path: &Path) -> Result<Value, ConfigError> {
    let value: Value = serde_saphyr::from_str(text).map_err(|e| ConfigError::Yaml { path: path.into(), message: e.to_string() })?;
    Ok(if value.is_null() { Value::Object(Default::default()) } else { value })
}

/// Deep-merges `over` into `base`: objects key by key, anything else replaced.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    #[test]
    fn no_file_gives_the_embedded_defaults() {
        let config = Config::load(None).unwrap();
        assert_eq!(config.dataset.products, 100_000);
        assert_eq!(config.dataset.seed, 42);
        assert_eq!(config.images.base_tag, "bakeoff/base:trixie");
    }

    #[test]
    fn a_partial_file_overrides_only_its_keys() {
        let file = file_with("dataset:\n  seed: 7\npostgres:\n  memory_mb: 1024\n");
        let config = Config::load(Some(file.path())).unwrap();
        assert_eq!(config.dataset.seed, 7);
        assert_eq!(config.dataset.products, 100_000);
        assert_eq!(config.postgres.memory_mb, 1024);
        assert_eq!(config.postgres.max_connections, 200);
    }

    #[test]
    fn an_unknown_key_is_named_in_the_error() {
        let file = file_with("postgres:\n  memory_gb: 4\n");
        let message = Config::load(Some(file.path())).unwrap_err().to_string();
        assert!(message.contains("memory_gb"), "{message}");
    }

    #[test]
    fn a_wrong_type_is_an_error_not_a_crash() {
        let file = file_with("dataset:\n  products: lots\n");
        assert!(matches!(Config::load(Some(file.path())), Err(ConfigError::Shape { .. })));
    }

    #[test]
    fn broken_yaml_is_reported_as_yaml() {
        let file = file_with("dataset: [unclosed\n");
        assert!(matches!(Config::load(Some(file.path())), Err(ConfigError::Yaml { .. })));
    }

    #[test]
    fn a_host_entry_with_only_an_address_keeps_the_other_defaults() {
        let file = file_with("hosts:\n  db:\n    address: tcp://127.0.0.1:2375\n  load:\n    - {}\n    - address: unix:///tmp/b.sock\n      build: false\n");
        let config = Config::load(Some(file.path())).unwrap();
        assert_eq!(config.hosts.db.address, "tcp://127.0.0.1:2375");
        assert_eq!(config.hosts.db.reach_as, "127.0.0.1");
        assert_eq!(config.hosts.app, HostConfig::default());
        assert_eq!(config.hosts.load.len(), 2);
        assert!(!config.hosts.load[1].build && config.hosts.load[1].publish_on == "127.0.0.1");
    }

    #[test]
    fn a_bad_host_entry_is_refused_naming_its_key() {
        let file = file_with("hosts:\n  app:\n    address: docker.example:2375\n");
        let message = Config::load(Some(file.path())).unwrap_err().to_string();
        assert!(message.contains("hosts.app.address"), "{message}");
    }

    #[test]
    fn the_printed_config_reads_back_as_the_same_config() {
        let config = Config::defaults();
        let file = file_with(&config.to_yaml());
        assert_eq!(Config::load(Some(file.path())).unwrap(), config);
    }
}
