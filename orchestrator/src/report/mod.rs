//! All formatting of results for people and files lives here, one exporter per file.

pub mod apps;
pub mod change;
pub mod charts;
pub mod compare;
pub mod csv;
pub mod doctor;
pub mod fuzz;
pub mod generators;
pub mod hgrm;
pub mod html;
pub mod intervals;
pub mod json;
pub mod leaderboard;
pub mod load;
pub mod markdown;
pub mod scaffold;
pub mod seed;
pub mod tables;
pub mod up;
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
    #[error("report.html: {0}")]
    Page(String),
    #[error("cannot write {path}: {source} (is the results folder writable, is the disk full?)")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Writes every exporter's file into `dir`, once the results fit run.json's schema; report.html
/// also shows `ease` (ease of change) beside the performance figures.
pub fn write_all(dir: &Path, results: &RunResults, ease: &crate::change::ease::EaseOfChange) -> Result<(), WriteError> {
    json::check(results)?;
    for exporter in exporters() {
        let path = dir.join(exporter.file_name());
        std::fs::write(&path, exporter.export(results)).map_err(|source| WriteError::Io { path, source })?;
    }
    html::write(dir, results, ease).map_err(WriteError::Page)
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
            server: Default::default(),
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
                repeats: vec![],
                spread: vec![],
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
            repeat: 1,
            queries: None,
            apps,
        }
    }
}
