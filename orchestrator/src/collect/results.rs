//! The results of a bake-off: plain documented data, serialised as `run.json` (its JSON Schema
//! is `results/run.schema.json`; bump SCHEMA_VERSION with any change of shape).

use serde::{Deserialize, Serialize};

use super::{Environment, ResourceSummary};
use crate::load::{LoadSummary, WorkloadKind};
use crate::seed::DatasetManifest;

pub const SCHEMA_VERSION: u32 = 2;

/// Everything one `bakeoff run` found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunResults {
    pub schema_version: u32,
    pub run_id: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS+00`.
    pub started_at: String,
    /// True for `--quick` (short phases, small dataset): for smoke checks, not for decisions.
    pub quick: bool,
    pub environment: Environment,
    pub placement: Placement,
    pub dataset: DatasetManifest,
    /// The effective configuration.
    pub config: serde_json::Value,
    pub apps: Vec<AppResult>,
}

/// Which CPUs each party ran on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placement {
    pub app_cpuset: String,
    /// CPU quota of the app container, in cores.
    pub app_cpus: f64,
    pub app_memory_mb: u64,
    pub postgres_cpuset: String,
    pub postgres_memory_mb: u64,
    pub generator_cpus: Vec<usize>,
    /// What the placement could not keep apart on this machine.
    pub note: String,
}

/// One app's part of the bake-off.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppResult {
    pub app: String,
    pub display_name: String,
    pub framework: String,
    pub framework_version: String,
    /// `measured`, or `skipped` with a reason (build, start or verify failed).
    pub status: String,
    pub skipped_reason: Option<String>,
    pub image_id: Option<String>,
    pub image_size_bytes: Option<u64>,
    /// Wall time of the image build in this run; null when the build failed or when nothing was
    /// rebuilt (`build_cached`): a cache hit is not a build.
    pub build_ms: Option<u64>,
    /// From container start to the first healthy answer, on a seeded database.
    pub cold_start_ms: Option<u64>,
    pub workloads: Vec<WorkloadResult>,
    /// True when the app's image was already up to date: the build reused every cached layer and
    /// produced the same image, so `build_ms` is null.
    #[serde(default)]
    pub build_cached: bool,
}

/// One workload's measured phase on one app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkloadResult {
    pub workload: WorkloadKind,
    pub load: LoadSummary,
    pub app_resources: ResourceSummary,
    pub postgres_resources: ResourceSummary,
    /// Response-time percentile distribution file, relative to the run folder.
    pub histogram_file: String,
    /// Per-second response times (CSV), relative to the run folder.
    pub intervals_file: String,
}
