//! `bakeoff compare RUN_A RUN_B [...]`: the same app × workload × figure side by side across
//! runs, the change in %, and whether the change is beyond the noise — the 95 % intervals of
//! the medians (from `--repeat`) do not overlap. Runs on different datasets or placements are
//! refused unless forced: their numbers do not measure the same thing.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::collect::spread::{spread_of, Spread};
use crate::collect::{AppResult, RunResults};
use crate::load::WorkloadKind;

/// Why runs cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("cannot read {path}: {source} — give run folders (results/<run-id>/, holding run.json)")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a run.json this version reads: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
    #[error("give at least two runs to compare")]
    TooFew,
    #[error("{a} and {b} differ in {what} ({detail}): their numbers do not measure the same thing; compare runs made alike, or pass --force")]
    Unlike { a: String, b: String, what: &'static str, detail: String },
}

/// One figure of one app and workload across the runs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub app: String,
    pub workload: WorkloadKind,
    /// `p50_us`, `p99_us`, `throughput_rps` or `capacity_rps`.
    pub metric: String,
    /// Per run (in the order given): the median over its repetitions, with its interval.
    pub values: Vec<Option<Spread>>,
    /// Change of the last run against the first, in %.
    pub change_pct: Option<f64>,
    /// True when the last run is worse (slower, less capacity, or the figure lost) than the first.
    pub worse: bool,
    /// `beyond noise`, `within noise`, `unknown` (a run measured it once: use --repeat), or
    /// `missing in the last run`.
    pub verdict: String,
}

/// The runs read from their folders.
pub fn load(dirs: &[PathBuf]) -> Result<Vec<RunResults>, CompareError> {
    if dirs.len() < 2 {
        return Err(CompareError::TooFew);
    }
    dirs.iter().map(|d| read(d)).collect()
}

fn read(dir: &Path) -> Result<RunResults, CompareError> {
    let path = if dir.is_dir() { dir.join("run.json") } else { dir.to_path_buf() };
    let text = std::fs::read_to_string(&path).map_err(|source| CompareError::Read { path: path.clone(), source })?;
    serde_json::from_str(&text).map_err(|source| CompareError::Parse { path, source })
}

/// Refuses runs on another dataset or placement than the first.
pub fn check_alike(runs: &[RunResults]) -> Result<(), CompareError> {
    let first = &runs[0];
    for run in &runs[1..] {
        let unlike = |what, detail: String| CompareError::Unlike { a: first.run_id.clone(), b: run.run_id.clone(), what, detail };
        if run.dataset.checksum_sha256 != first.dataset.checksum_sha256 {
            return Err(unlike("dataset", format!("{} vs {}, checksums differ", first.dataset.describe(), run.dataset.describe())));
        }
        let log = |r: &RunResults| r.queries.as_ref().map_or_else(|| "drawn terms".to_string(), |q| format!("{} ({})", q.file, &q.checksum_sha256[..12]));
        if log(first) != log(run) {
            return Err(unlike("search queries", format!("{} vs {}", log(first), log(run))));
        }
        let (p, q) = (&first.placement, &run.placement);
        if (&p.app_cpuset, p.app_cpus, p.app_memory_mb, &p.postgres_cpuset, &p.generator_cpus)
            != (&q.app_cpuset, q.app_cpus, q.app_memory_mb, &q.postgres_cpuset, &q.generator_cpus)
        {
            return Err(unlike("placement", format!("app on CPU {} ({} cores) vs CPU {} ({} cores)", p.app_cpuset, p.app_cpus, q.app_cpuset, q.app_cpus)));
        }
        if run.quick != first.quick {
            return Err(unlike("size", "a quick run against a full one".into()));
        }
        let rates = |r: &RunResults| r.steady_rates.iter().map(|(k, v)| format!("{} {}/s", k.name(), v.rps)).collect::<Vec<_>>().join(", ");
        if !first.steady_rates.is_empty() && !run.steady_rates.is_empty() && rates(first) != rates(run) {
            return Err(unlike("steady rates", format!("{} vs {}", rates(first), rates(run))));
        }
    }
    Ok(())
}

/// Every figure present in the first and last run, side by side.
pub fn rows(runs: &[RunResults]) -> Vec<Row> {
    let first = &runs[0];
    let mut rows = Vec::new();
    // Every figure of the first run: one the last run lost (the app skipped, a capacity no
    // longer found) is a row of its own, never silently left out.
    for app in &first.apps {
        for (workload, metric) in keys(app) {
            let values: Vec<Option<Spread>> =
                runs.iter().map(|r| r.apps.iter().find(|a| a.app == app.app).and_then(|a| figure(a, workload, &metric))).collect();
            rows.push(row(&app.app, workload, metric, values));
        }
    }
    rows
}

fn row(app: &str, workload: WorkloadKind, metric: String, values: Vec<Option<Spread>>) -> Row {
    let (a, b) = (values.first().cloned().flatten(), values.last().cloned().flatten());
    let (change_pct, worse, verdict) = match (&a, &b) {
        (Some(a), Some(b)) if a.median != 0.0 => {
            let change = 100.0 * (b.median - a.median) / a.median;
            let higher_is_better = metric.ends_with("_rps");
            let worse = if higher_is_better { b.median < a.median } else { b.median > a.median };
            let verdict = if a.n < 2 || b.n < 2 {
                "unknown"
            } else if a.ci95_high < b.ci95_low || b.ci95_high < a.ci95_low {
                "beyond noise"
            } else {
                "within noise"
            };
            (Some(change), worse, verdict.to_string())
        }
        (Some(_), None) => (None, true, "missing in the last run".to_string()),
        _ => (None, false, "unknown".to_string()),
    };
    Row { app: app.to_string(), workload, metric, values, change_pct, worse, verdict }
}

/// (workload, metric) of every key figure an app has.
fn keys(app: &AppResult) -> Vec<(WorkloadKind, String)> {
    let mut keys: Vec<(WorkloadKind, String)> = crate::collect::spread::figures_of(app, 0).figures.into_iter().map(|f| (f.workload, f.metric)).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A figure of `app` over its repetitions (one value when it ran once).
fn figure(app: &AppResult, workload: WorkloadKind, metric: &str) -> Option<Spread> {
    if let Some(s) = app.spread.iter().find(|s| s.workload == workload && s.metric == metric) {
        return Some(s.clone());
    }
    let value = crate::collect::spread::figures_of(app, 0).figures.into_iter().find(|f| f.workload == workload && f.metric == metric)?.value;
    spread_of(&[value]).map(|s| Spread { workload, metric: metric.to_string(), ..s })
}

/// Rows where the last run is worse than the first by more than `pct` % and not within the
/// noise (a change the intervals cannot explain, or one measured once), and every figure the
/// last run lost.
pub fn regressions(rows: &[Row], pct: f64) -> Vec<&Row> {
    let lost = |r: &Row| r.values.last().is_some_and(Option::is_none);
    rows.iter().filter(|r| r.worse && (lost(r) || r.change_pct.is_some_and(|c| c.abs() > pct) && r.verdict != "within noise")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(values: &[f64]) -> Option<Spread> {
        spread_of(values)
    }

    #[test]
    fn a_slower_p99_whose_intervals_do_not_overlap_is_a_regression_beyond_noise() {
        let r = row("gin", WorkloadKind::Search, "p99_us".into(), vec![spread(&[10.0, 10.5, 9.8, 10.2, 10.1]), spread(&[14.0, 14.4, 13.9, 14.2, 14.1])]);
        assert_eq!((r.worse, r.verdict.as_str()), (true, "beyond noise"));
        assert!((r.change_pct.unwrap() - 39.6).abs() < 0.1, "{r:?}");
        assert_eq!(regressions(&[r], 10.0).len(), 1);
    }

    #[test]
    fn a_change_inside_overlapping_intervals_is_noise_and_does_not_fail_the_gate() {
        let r = row("gin", WorkloadKind::Search, "p99_us".into(), vec![spread(&[10.0, 14.0, 9.0, 12.0, 11.0]), spread(&[11.0, 13.0, 10.0, 15.0, 12.0])]);
        assert_eq!(r.verdict, "within noise", "{r:?}");
        assert!(regressions(&[r], 5.0).is_empty());
    }

    #[test]
    fn runs_at_other_steady_rates_or_on_another_dataset_are_unlike() {
        use crate::report::testing::{results, row};
        use crate::scenario::SteadyRate;
        let a = results(vec![("gin", row(100, 3))]);
        assert!(check_alike(&[a.clone(), a.clone()]).is_ok());
        let mut faster = a.clone();
        faster.steady_rates.insert(WorkloadKind::Search, SteadyRate { rps: 50.0, why: String::new() });
        let mut slower = a.clone();
        slower.steady_rates.insert(WorkloadKind::Search, SteadyRate { rps: 25.0, why: String::new() });
        let error = check_alike(&[faster, slower]).unwrap_err().to_string();
        assert!(error.contains("differ in steady rates (search 50/s vs search 25/s)"), "{error}");
        let mut other = a.clone();
        other.dataset.checksum_sha256 = "0".repeat(64);
        assert!(check_alike(&[a, other]).unwrap_err().to_string().contains("differ in dataset"));
    }

    #[test]
    fn runs_on_different_catalogue_files_are_refused_naming_both_files() {
        use crate::report::testing::{results, row};
        use crate::seed::CatalogSource;
        let mut a = results(vec![("gin", row(100, 3))]);
        a.dataset.source = Some(CatalogSource { file: "shop.csv".into(), format: "shopify-csv".into(), rows: 35, skipped: 1 });
        a.dataset.checksum_sha256 = "2".repeat(64);
        let mut b = a.clone();
        assert!(check_alike(&[a.clone(), b.clone()]).is_ok(), "the same file twice is comparable");
        b.dataset.source = Some(CatalogSource { file: "other.jsonl".into(), format: "jsonl".into(), rows: 34, skipped: 0 });
        b.dataset.checksum_sha256 = "1".repeat(64);
        let error = check_alike(&[a.clone(), b]).unwrap_err().to_string();
        assert!(error.contains("differ in dataset (shop.csv (shopify-csv), 35 rows vs other.jsonl (jsonl), 34 rows, checksums differ)"), "{error}");
        let mut replayed = a.clone();
        let info =
            crate::load::queries::QueryLogInfo { file: "q.tsv".into(), distinct_queries: 4, total_count: 9, skipped: 0, checksum_sha256: "ab".repeat(32) };
        replayed.queries = Some(info);
        let error = check_alike(&[a.clone(), replayed]).unwrap_err().to_string();
        assert!(error.contains("differ in search queries (drawn terms vs q.tsv (abababababab))"), "{error}");
        let generated = results(vec![("gin", row(100, 3))]);
        let error = check_alike(&[generated, a]).unwrap_err().to_string();
        assert!(error.contains("generated, 100 products, seed 1 vs shop.csv (shopify-csv), 35 rows"), "{error}");
    }

    #[test]
    fn a_figure_the_last_run_lost_fails_the_gate_instead_of_vanishing() {
        use crate::report::testing::{results, row as steady_row};
        let before = results(vec![("gin", steady_row(100, 3))]);
        let mut after = before.clone();
        after.apps[0].workloads.clear();
        after.apps[0].status = "skipped".into();
        let rows = rows(&[before, after]);
        assert!(!rows.is_empty(), "the lost figures are listed");
        assert!(rows.iter().all(|r| r.worse && r.verdict == "missing in the last run"), "{rows:?}");
        assert_eq!(regressions(&rows, 10.0).len(), rows.len());
    }

    #[test]
    fn less_capacity_is_worse_and_more_is_not() {
        let down = row("gin", WorkloadKind::Search, "capacity_rps".into(), vec![spread(&[200.0]), spread(&[150.0])]);
        let up = row("gin", WorkloadKind::Search, "capacity_rps".into(), vec![spread(&[200.0]), spread(&[250.0])]);
        assert!(down.worse && !up.worse);
        assert_eq!(down.verdict, "unknown", "one run each cannot say what the noise is");
        assert_eq!(regressions(&[down, up], 10.0).len(), 1, "measured once: the gate still fails on a large change");
    }
}
