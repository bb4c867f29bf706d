//! All formatting of results for people and files lives here, one exporter per file.

pub mod apps;
pub mod csv;
pub mod doctor;
pub mod fuzz;
pub mod hgrm;
pub mod intervals;
pub mod json;
pub mod leaderboard;
pub mod load;
pub mod markdown;
pub mod seed;
pub mod verify;

use std::path::{Path, PathBuf};

use crate::collect::{RunResults, WorkloadResult};

/// A results file made from a run's results.
pub trait Exporter {
    fn file_name(&self) -> &'static str;
    fn export(&self, results: &RunResults) -> Vec<u8>;
}

/// The exporters written after every app (so a crash loses little).
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![Box::new(json::Json), Box::new(csv::Csv), Box::new(markdown::Markdown)]
}

/// Why a run's results files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Invalid(#[from] json::InvalidResults),
    #[error("cannot write {path}: {source} (is the results folder writable, is the disk full?)")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Writes every exporter's file into `dir`, once the results fit run.json's schema.
pub fn write_all(dir: &Path, results: &RunResults) -> Result<(), WriteError> {
    json::check(results)?;
    for exporter in exporters() {
        let path = dir.join(exporter.file_name());
        std::fs::write(&path, exporter.export(results)).map_err(|source| WriteError::Io { path, source })?;
    }
    Ok(())
}

/// The flags of a row, short, in the order the leaderboard explains them.
pub(crate) fn flags(w: &WorkloadResult) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if w.load.saturated {
        flags.push("saturated");
    }
    if w.db_saturated {
        flags.push("db-saturated");
    }
    if w.load.generator_limited {
        flags.push("generator-limited");
    }
    if w.host_steal_reason.is_some() {
        flags.push("host-steal");
    }
    flags
}

/// Every flag of a row with its evidence, in words.
pub(crate) fn flag_reasons(w: &WorkloadResult) -> Vec<String> {
    let mut out = Vec::new();
    if w.load.saturated {
        out.push(format!("saturated: the app could not keep up — {}", w.load.saturated_reasons.join("; ")));
    }
    if let Some(reason) = &w.db_saturated_reason {
        out.push(format!("db-saturated: {reason}"));
    }
    if w.load.generator_limited {
        out.push(format!("generator-limited: not the app's result — {}", w.load.generator_limited_reasons.join("; ")));
    }
    if let Some(reason) = &w.host_steal_reason {
        out.push(format!("host-steal: {reason}"));
    }
    out
}

/// What each flag means, for the foot of a table.
pub(crate) const FLAG_LEGEND: &[(&str, &str)] = &[
    ("saturated", "the app could not keep up with the rate asked (backlog, drops, timeouts or missing answers): this is the app's result, ranked by the answers per second it achieved"),
    ("db-saturated", "PostgreSQL used at least 90 % of its CPU: the row measures the database, not the app"),
    ("generator-limited", "the load generator was late, out of local resources, unpinned or CPU-bound: not the app's result, ranked last"),
    ("host-steal", "the hypervisor took at least 2 % of a CPU the row ran on (steal time): its latencies include pauses of the virtual machine; repeat on dedicated cores before deciding on a close call"),
];

/// Rank of a row: clean rows by p99; app-saturated rows by answers per second achieved;
/// rows that measure the database; rows the generator limited last.
pub(crate) fn rank(w: &WorkloadResult) -> (u8, i64) {
    let l = &w.load;
    if l.generator_limited {
        (3, l.response_time.p99_us as i64)
    } else if w.db_saturated {
        (2, l.response_time.p99_us as i64)
    } else if l.saturated {
        (1, -((l.throughput_rps * 1000.0) as i64))
    } else {
        (0, l.response_time.p99_us as i64)
    }
}

/// A capacity in words: `212.5/s`, `≥ 400/s` (the search stopped early), `< 12.5/s`.
pub(crate) fn capacity_cell(c: &crate::scenario::capacity::CapacityResult) -> String {
    use crate::scenario::capacity::Bound;
    let lowest = c.steps.iter().map(|s| s.rps).fold(f64::INFINITY, f64::min);
    match (c.bound, c.capacity_rps) {
        (Bound::Found, Some(rps)) => format!("{rps}/s"),
        (Bound::AtLeast, Some(rps)) => format!("≥ {rps}/s"),
        (Bound::AtLeast, None) => "– (generator-limited)".into(),
        (_, _) if lowest.is_finite() => format!("< {lowest}/s"),
        _ => "–".into(),
    }
}

/// The capacity rows of a run: per app, each workload's capacity in words; apps sorted by
/// their first workload's capacity, highest first.
pub(crate) fn capacity_rows(results: &RunResults) -> (Vec<crate::load::WorkloadKind>, Vec<(String, Vec<String>)>) {
    let mut kinds: Vec<_> = results.apps.iter().flat_map(|a| a.capacity.iter().map(|c| c.workload)).collect();
    kinds.sort();
    kinds.dedup();
    let mut apps: Vec<_> = results.apps.iter().filter(|a| !a.capacity.is_empty()).collect();
    let first = kinds.first().copied();
    let key = |a: &&crate::collect::AppResult| a.capacity.iter().find(|c| Some(c.workload) == first).and_then(|c| c.capacity_rps).unwrap_or(0.0);
    apps.sort_by(|a, b| key(b).total_cmp(&key(a)));
    let rows = apps
        .iter()
        .map(|a| (a.app.clone(), kinds.iter().map(|k| a.capacity.iter().find(|c| c.workload == *k).map_or("–".into(), capacity_cell)).collect()))
        .collect();
    (kinds, rows)
}

/// Seconds to recover from a spike, in words.
pub(crate) fn recovery_cell(recovery_s: Option<f64>) -> String {
    recovery_s.map_or("did not recover".into(), |s| format!("{s:.0} s"))
}

/// Column titles of the deploy table (the leaderboard's and summary.md's).
pub(crate) const DEPLOY_HEADER: [&str; 7] =
    ["app", "no-cache build", "image MiB", "rebuild after one line", "restart (SIGTERM → healthy)", "failed during restart", "without success"];

/// One app's deploy row, in the order of [`DEPLOY_HEADER`].
pub(crate) fn deploy_cells(app: &str, d: &crate::scenario::deploy::DeployResult) -> [String; 7] {
    let secs = |ms: u64| format!("{:.1} s", ms as f64 / 1000.0);
    let classes: Vec<String> = d.failed_by_class.iter().map(|(class, n)| format!("{class} {n}")).collect();
    let failed = if classes.is_empty() { format!("0 of {}", d.requests) } else { format!("{} of {} ({})", d.failed_requests, d.requests, classes.join(", ")) };
    [
        app.to_string(),
        d.no_cache_build_ms.map_or("skipped (--quick)".into(), secs),
        format!("{:.0}", d.image_size_bytes as f64 / (1024.0 * 1024.0)),
        format!("{} ({})", secs(d.incremental_build_ms), d.touched_file),
        format!("{} (old stopped in {}, exit {})", secs(d.restart_ms), secs(d.stop_ms), d.old_exit_code),
        format!("{failed} at {}/s", d.rps),
        format!("{:.1} s{}", d.seconds_without_success, if d.answered_again { "" } else { ", no answer after" }),
    ]
}

/// Seconds until an app answered again after a database restart, in words.
pub(crate) fn recovered_cell(recovered_after_s: Option<f64>) -> String {
    recovered_after_s.map_or("did not recover".into(), |s| format!("{s:.1} s"))
}

/// A db-restart verdict: `pass`, or `FAIL` with what was lost.
pub(crate) fn restart_verdict(r: &crate::scenario::db_restart::DbRestartResult) -> String {
    if r.passed {
        "pass".into()
    } else if r.acknowledged_orders == 0 {
        "FAIL: no order acknowledged, nothing to check".into()
    } else {
        format!("FAIL: {} lost, {} stock mismatches", r.lost_orders, r.stock_mismatches)
    }
}

/// Column titles of the cold-start table.
pub(crate) const COLD_START_HEADER: [&str; 7] =
    ["app", "TCP accept ms", "healthy ms", "first search ms", "first checkout ms", "settled after", "settled p99 ms"];

/// One app's cold-start row (medians over its runs), in the order of [`COLD_START_HEADER`].
pub(crate) fn cold_start_cells(app: &str, c: &crate::scenario::cold_start::ColdStartResult) -> [String; 7] {
    let mut settled: Vec<u64> = c.runs.iter().map(|r| r.settled_p99_us).collect();
    settled.sort_unstable();
    [
        app.to_string(),
        c.median_tcp_accept_ms.to_string(),
        c.median_healthy_ms.to_string(),
        c.median_first_search_ms.to_string(),
        c.median_first_checkout_ms.to_string(),
        c.median_settle_s.map_or("did not settle".into(), |s| format!("{s:.0} s at {}/s", c.rps)),
        settled.get(settled.len() / 2).map_or("–".into(), |us| ms(*us)),
    ]
}

/// Microseconds as milliseconds with one decimal.
pub(crate) fn ms(us: u64) -> String {
    format!("{:.1}", us as f64 / 1000.0)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Results documents for exporter tests.

    use std::time::Duration;

    use crate::collect::{AppResult, Placement, ResourceSummary, RunResults, WorkloadResult, SCHEMA_VERSION};
    use crate::load::{self, Recorder, WorkloadKind};
    use crate::seed::{self, DatasetSpec};

    /// A search row: `answered` of 100 asked at 10/s answered in `ms` each; the rest dropped.
    pub fn row(answered: u64, ms: u64) -> WorkloadResult {
        let mut r = Recorder::default();
        for i in 0..100 {
            r.due(0, Duration::from_micros(20));
            if i < answered {
                r.sent(0, Duration::ZERO, true, false);
                r.answered(0, Duration::from_millis(ms), Duration::from_millis(ms), true);
                r.ok(0);
            } else {
                r.failed(0, load::stats::Failure::Dropped, Duration::from_millis(ms), None);
            }
        }
        WorkloadResult {
            workload: WorkloadKind::Search,
            load: load::summarize("open", Some(10.0), Duration::from_secs(10), &r),
            app_resources: ResourceSummary::default(),
            postgres_resources: ResourceSummary::default(),
            db_saturated: false,
            db_saturated_reason: None,
            cpu_steal: vec![],
            host_steal_reason: None,
            histogram_file: "x.hgrm".into(),
            intervals_file: "x.intervals.csv".into(),
        }
    }

    pub fn results(rows: Vec<(&str, WorkloadResult)>) -> RunResults {
        let apps = rows
            .into_iter()
            .map(|(app, w)| AppResult {
                app: app.into(),
                display_name: app.into(),
                framework: app.into(),
                framework_version: "1".into(),
                status: "measured".into(),
                skipped_reason: None,
                image_id: None,
                image_size_bytes: None,
                build_ms: None,
                build_cached: false,
                cold_start_ms: None,
                workloads: vec![w],
                capacity: vec![],
                spike: None,
                cold_start: None,
                deploy: None,
                db_restart: None,
            })
            .collect();
        let placement = Placement {
            app_cpuset: "0".into(),
            app_cpus: 1.0,
            app_memory_mb: 1024,
            postgres_cpuset: "1".into(),
            postgres_memory_mb: 2048,
            generator_cpus: vec![1],
            note: String::new(),
        };
        RunResults {
            schema_version: SCHEMA_VERSION,
            run_id: "0123abcd".into(),
            started_at: "2026-12-01 10:00:00+00".into(),
            quick: true,
            environment: Default::default(),
            placement,
            dataset: seed::manifest_of(DatasetSpec { products: 100, seed: 1 }),
            config: serde_json::json!({"any": ["thing", 1, null]}),
            steady_rates: Default::default(),
            apps,
        }
    }
}
