//! The results of a bake-off: plain documented data, serialised as `run.json` (its JSON Schema
//! is `results/run.schema.json`, generated from these types by `bakeoff schema`; bump
//! SCHEMA_VERSION with any change of shape).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::server::ServerView;
use super::{CpuSteal, Environment, ResourceSummary};
use crate::load::{LoadSummary, WorkloadKind};
use crate::seed::DatasetManifest;

pub const SCHEMA_VERSION: u32 = 6;

/// PostgreSQL counts as the bottleneck of a phase when it used at least this share of its CPU.
pub const DB_SATURATED_SHARE: f64 = 0.9;

/// Everything one `bakeoff run` found.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunResults {
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    #[schemars(regex(pattern = r"^[0-9a-f]{8}$"))]
    pub run_id: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS+00`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\+00$"))]
    pub started_at: String,
    /// True for `--quick` (short phases, small dataset): for smoke checks, not for decisions.
    pub quick: bool,
    pub environment: Environment,
    pub placement: Placement,
    pub dataset: DatasetManifest,
    /// The effective configuration.
    pub config: serde_json::Value,
    /// The rate each workload's steady scenario ran at, and why (empty when steady did not run).
    #[serde(default)]
    pub steady_rates: std::collections::BTreeMap<WorkloadKind, crate::scenario::SteadyRate>,
    /// Repetitions of every scenario (`--repeat`); the apps' own fields are the first one's.
    #[serde(default = "one")]
    pub repeat: u32,
    pub apps: Vec<AppResult>,
}

/// Which CPUs each party ran on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AppResult {
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub app: String,
    pub display_name: String,
    pub framework: String,
    pub framework_version: String,
    /// `measured`, or `skipped` with a reason (build, start or verify failed).
    #[schemars(extend("enum" = ["measured", "skipped"]))]
    pub status: String,
    pub skipped_reason: Option<String>,
    pub image_id: Option<String>,
    pub image_size_bytes: Option<u64>,
    /// Wall time of the image build in this run; null when the build failed or when nothing was
    /// rebuilt (`build_cached`): a cache hit is not a build.
    pub build_ms: Option<u64>,
    /// From container start to the first healthy answer, on a seeded database.
    pub cold_start_ms: Option<u64>,
    /// The steady scenario's rows, one per workload.
    pub workloads: Vec<WorkloadResult>,
    /// The capacity scenario: per workload, the highest rate within the SLO and the curve.
    #[serde(default)]
    pub capacity: Vec<crate::scenario::capacity::CapacityResult>,
    /// The spike scenario's result.
    #[serde(default)]
    pub spike: Option<crate::scenario::spike::SpikeResult>,
    /// The cold-start scenario's result.
    #[serde(default)]
    pub cold_start: Option<crate::scenario::cold_start::ColdStartResult>,
    /// The deploy scenario's result: builds and a restart under load.
    #[serde(default)]
    pub deploy: Option<crate::scenario::deploy::DeployResult>,
    /// The db-restart scenario's result.
    #[serde(default)]
    pub db_restart: Option<crate::scenario::db_restart::DbRestartResult>,
    /// True when the app's image was already up to date: the build reused every cached layer and
    /// produced the same image, so `build_ms` is null.
    #[serde(default)]
    pub build_cached: bool,
    /// With `--repeat N` (N > 1): every repetition's key figures, the first included.
    #[serde(default)]
    pub repeats: Vec<super::spread::RepeatFigures>,
    /// With `--repeat N` (N > 1): each key figure's median, 95 % interval, CV and noisy flag.
    #[serde(default)]
    pub spread: Vec<super::spread::Spread>,
}

fn one() -> u32 {
    1
}

/// One workload's measured phase on one app.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WorkloadResult {
    pub workload: WorkloadKind,
    pub load: LoadSummary,
    pub app_resources: ResourceSummary,
    pub postgres_resources: ResourceSummary,
    /// PostgreSQL used at least [`DB_SATURATED_SHARE`] of its CPU: this row measures the
    /// database, not the app.
    pub db_saturated: bool,
    /// The evidence, in words, when `db_saturated`.
    pub db_saturated_reason: Option<String>,
    /// CPU time the hypervisor took from each of the machine's CPUs during the measured phase.
    pub cpu_steal: Vec<CpuSteal>,
    /// Set when the hypervisor took at least 2 % of a CPU the app, PostgreSQL or the generator
    /// ran on: the row's latencies include pauses of the virtual machine.
    pub host_steal_reason: Option<String>,
    /// Response-time percentile distribution file, relative to the run folder.
    #[schemars(regex(pattern = r"\.hgrm$"))]
    pub histogram_file: String,
    /// Per-second response times (CSV), relative to the run folder.
    #[schemars(regex(pattern = r"\.intervals\.csv$"))]
    pub intervals_file: String,
    /// The app's own view of the phase, from its `/metrics` (RULES.md §8).
    #[serde(default)]
    pub server: ServerView,
}

/// Whether the database, by its CPU use against its quota, was the bottleneck of a phase.
pub fn db_saturation(postgres: &ResourceSummary) -> Option<String> {
    (postgres.samples > 1 && postgres.cpu_quota_share_mean >= DB_SATURATED_SHARE).then(|| {
        format!(
            "PostgreSQL used {:.0} % of its {} core(s): this row measures the database, not the app",
            100.0 * postgres.cpu_quota_share_mean,
            postgres.cpu_quota_cores
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postgres(share: f64) -> ResourceSummary {
        ResourceSummary { samples: 10, cpu_cores_mean: share, ..Default::default() }.against_quota(1.0)
    }

    #[test]
    fn a_database_at_ninety_percent_of_its_core_is_the_bottleneck() {
        let reason = db_saturation(&postgres(0.93)).expect("flagged");
        assert!(reason.contains("93 % of its 1 core(s)") && reason.contains("measures the database"), "{reason}");
        assert_eq!(db_saturation(&postgres(0.6)), None);
        assert_eq!(db_saturation(&ResourceSummary::default()), None, "no samples, no verdict");
    }
}
