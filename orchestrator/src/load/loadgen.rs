//! One generator of a distributed run (`bakeoff loadgen`): what it is told (a spec, plain serde
//! data) and running its share to a [`GeneratorResult`]. Every generator of a run gets the same
//! spec but its share, so the union of what they send is the single-generator schedule.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::engine::{run_share, EngineConfig};
use super::queries::{QueryLog, QueryLogInfo};
use super::schedule::{Profile, ProfileError};
use super::share::Share;
use super::start::{instant_of_unix_ns, StartError};
use super::wire::{GeneratorResult, Origin, WireError};
use super::workload::{Catalogue, MixShares, Workload, WorkloadKind};

/// What one generator is to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadgenSpec {
    /// `http://HOST:PORT/PATH` of the app as the load host reaches it (the path matters for the
    /// `fixed` workload only).
    pub url: String,
    pub workload: WorkloadSpec,
    /// The arrival-rate profile of the whole run (all generators together).
    pub profile: Profile,
    /// Seed of the workload draws: request `j` is a function of it and `j`.
    pub seed: u64,
    /// Start of every idempotency key (`<key_prefix>-<j>`), the same for every generator.
    pub key_prefix: String,
    /// This generator's share of the schedule.
    pub share: Share,
    /// The common start instant, nanoseconds since the Unix epoch.
    pub start_unix_ns: u64,
    /// How this generator runs.
    #[serde(default)]
    pub engine: GeneratorSpec,
}

/// The workload and what the catalogue offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadSpec {
    pub kind: WorkloadKind,
    /// Highest product id (ignored by `fixed`).
    #[serde(default)]
    pub products: u32,
    /// Brands, most products first.
    #[serde(default)]
    pub brands: Vec<String>,
    #[serde(default)]
    pub categories: Vec<i32>,
    /// Search terms, most frequent first (empty: the generated catalogue's word list).
    #[serde(default)]
    pub terms: Vec<String>,
    /// Weights of the mixed workload (required by `mixed`).
    #[serde(default)]
    pub mix: Option<MixShares>,
    /// A search log to replay instead of drawing terms (`--queries`).
    #[serde(default)]
    pub queries: Option<QueriesSpec>,
}

/// A search log, as [`QueryLog::counts`] gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueriesSpec {
    pub info: QueryLogInfo,
    /// Each distinct query and its count, in the log's order.
    pub counts: Vec<(String, u64)>,
}

impl WorkloadSpec {
    /// What a generator needs to send `kind` with `catalogue` and `mix` as one generator would.
    pub fn of(kind: WorkloadKind, catalogue: &Catalogue, mix: &MixShares) -> WorkloadSpec {
        WorkloadSpec {
            kind,
            products: catalogue.products,
            brands: catalogue.brands.clone(),
            categories: catalogue.categories.clone(),
            terms: catalogue.terms.clone(),
            mix: Some(mix.clone()),
            queries: catalogue.queries.as_deref().map(|log| QueriesSpec { info: log.info.clone(), counts: log.counts() }),
        }
    }
}

/// One generator's engine settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GeneratorSpec {
    /// Load threads (one single-threaded runtime each).
    pub workers: usize,
    /// CPUs of the load host to pin them to (empty: not pinned).
    pub cpus: Vec<usize>,
    /// Most connections of this generator.
    pub connections: usize,
    /// Most requests waiting for a connection per load thread before arrivals are dropped.
    pub queue_bound: usize,
    /// A request not answered within this is a timeout.
    pub timeout_ms: u64,
    /// Run the load threads under SCHED_FIFO where allowed (CAP_SYS_NICE in a container).
    pub realtime: bool,
    /// Hold the CPU-latency QoS at 0 µs while running (root only).
    pub idle_polling: bool,
}

impl Default for GeneratorSpec {
    fn default() -> Self {
        GeneratorSpec { workers: 1, cpus: Vec::new(), connections: 256, queue_bound: 100_000, timeout_ms: 10_000, realtime: true, idle_polling: false }
    }
}

#[derive(Debug, Error)]
pub enum LoadgenError {
    #[error("cannot use the target URL {url}: {reason}")]
    Url { url: String, reason: String },
    #[error("the mixed workload needs its weights: give workload.mix (search, product_view, add_to_cart, checkout)")]
    NoMix,
    #[error("the workload needs a catalogue: give workload.products (the highest product id), brands and categories")]
    NoCatalogue,
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Wire(#[from] WireError),
}

impl LoadgenSpec {
    /// The same spec for another share.
    pub fn for_share(&self, share: Share) -> LoadgenSpec {
        LoadgenSpec { share, ..self.clone() }
    }
}

/// Runs the spec's share against its URL from its start instant (blocking: call from
/// `spawn_blocking`) and returns what it measured.
pub fn run(spec: &LoadgenSpec) -> Result<GeneratorResult, LoadgenError> {
    let (addr, path) = super::parse_url(&spec.url).map_err(|e| LoadgenError::Url { url: spec.url.clone(), reason: e.to_string() })?;
    let workload = Arc::new(workload(&spec.workload, &path)?);
    let schedule = Arc::new(spec.profile.schedule()?);
    let start = instant_of_unix_ns(spec.start_unix_ns)?;
    let recorder = run_share(addr, schedule.clone(), workload, &engine_config(spec), spec.share, start);
    let origin = Origin { share: spec.share, start_unix_ns: spec.start_unix_ns, schedule_requests: schedule.total(), host: host_name() };
    Ok(GeneratorResult::encode(&recorder, origin)?)
}

fn workload(spec: &WorkloadSpec, path: &str) -> Result<Workload, LoadgenError> {
    if spec.kind == WorkloadKind::Fixed {
        return Ok(Workload::fixed(path));
    }
    if spec.products <= crate::seed::RESERVED_PRODUCTS {
        return Err(LoadgenError::NoCatalogue);
    }
    let mix = match (spec.kind, &spec.mix) {
        (WorkloadKind::Mixed, None) => return Err(LoadgenError::NoMix),
        (_, Some(mix)) => mix.clone(),
        (_, None) => MixShares { search: 1.0, product_view: 0.0, add_to_cart: 0.0, checkout: 0.0 },
    };
    let queries = spec.queries.as_ref().map(|q| Arc::new(QueryLog::from_counts(q.info.clone(), &q.counts)));
    let catalogue = Catalogue { products: spec.products, brands: spec.brands.clone(), categories: spec.categories.clone(), terms: spec.terms.clone(), queries };
    Ok(Workload::new(spec.kind, catalogue, mix))
}

fn engine_config(spec: &LoadgenSpec) -> EngineConfig {
    let e = &spec.engine;
    EngineConfig {
        workers: e.workers.max(1),
        cpus: e.cpus.clone(),
        connections: e.connections.max(1),
        queue_bound: e.queue_bound,
        timeout: Duration::from_millis(e.timeout_ms),
        seed: spec.seed,
        key_prefix: spec.key_prefix.clone(),
        realtime: e.realtime,
        idle_polling: e.idle_polling,
        keep_orders: false,
    }
}

/// The name this host (or container) gives itself; empty when it cannot be read.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|name| name.trim().to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generator_given_the_workload_spec_sends_the_requests_one_generator_would() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries.tsv");
        let log = Arc::new(QueryLog::read(&path).unwrap());
        let catalogue = Catalogue { products: 3_000, brands: vec!["Acme".into()], categories: vec![4, 5], terms: vec![], queries: Some(log) };
        let mix = MixShares { search: 0.5, product_view: 0.3, add_to_cart: 0.1, checkout: 0.1 };
        let here = Workload::new(WorkloadKind::Mixed, catalogue.clone(), mix.clone());
        let json = serde_json::to_string(&WorkloadSpec::of(WorkloadKind::Mixed, &catalogue, &mix)).unwrap();
        let there = workload(&serde_json::from_str(&json).unwrap(), "/").unwrap();
        assert!((0..2_000).all(|j| here.request(9, j, "k") == there.request(9, j, "k")));
    }

    #[test]
    fn a_mixed_workload_without_weights_or_a_catalogue_is_refused() {
        let spec = WorkloadSpec { kind: WorkloadKind::Mixed, products: 3_000, brands: vec![], categories: vec![], terms: vec![], mix: None, queries: None };
        assert!(matches!(workload(&spec, "/"), Err(LoadgenError::NoMix)));
        assert!(matches!(workload(&WorkloadSpec { products: 0, ..spec }, "/"), Err(LoadgenError::NoCatalogue)));
    }
}
