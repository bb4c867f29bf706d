//! `report.html`: the run on one self-contained page — the verdict table first, then the
//! scenario tables, latency spectra, capacity curves, per-second timelines, resource use and
//! provenance. Charts are inline SVG (plotters); the page is rendered from a minijinja template;
//! the data behind every table and chart is embedded as JSON (`<script id="report-data">`).
//! Nothing on the page loads from the network.

use std::path::Path;

use minijinja::{context, Environment};
use serde::Serialize;

use super::charts::{self, LineChart, Series};
use super::tables::{capacity_cell, scenario_tables, Table};
use super::{flag_reasons, flags, FLAG_LEGEND};
use crate::change::ease::EaseOfChange;
use crate::collect::{AppResult, RunResults, WorkloadResult};
use crate::load::WorkloadKind;

const TEMPLATE: &str = include_str!("report.html.j2");
/// The pages' one stylesheet (report.html and compare.html), inlined into each.
pub const STYLE: &str = include_str!("style.css");
pub const FILE_NAME: &str = "report.html";

/// One app × workload in the verdict table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VerdictRow {
    pub app: String,
    pub workload: String,
    pub capacity: String,
    pub rate_rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub throughput_rps: f64,
    pub error_rate: f64,
    pub app_cpu_share: f64,
    pub app_peak_mib: f64,
    pub cold_start_ms: Option<u64>,
    pub rebuild_s: Option<f64>,
    pub flags: Vec<String>,
    /// Every flag with its evidence, in words.
    pub reasons: Vec<String>,
}

/// A chart with its data (the data is embedded beside the SVG).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    #[serde(skip)]
    pub svg: String,
}

/// Everything the page shows, as embedded for checks.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub run_id: String,
    pub quick: bool,
    pub verdict: Vec<VerdictRow>,
    pub spectra: Vec<Chart>,
    pub capacity_curves: Vec<Chart>,
    pub timelines: Vec<Chart>,
    pub resource_timelines: Vec<Chart>,
    /// Ease of change beside the performance figures: feedback sessions and static figures.
    pub ease_of_change: Option<EaseView>,
}

/// The ease-of-change section as shown: the sessions table (when there are sessions) and the
/// static figures of the apps without one.
#[derive(Debug, Clone, Serialize)]
pub struct EaseView {
    pub sessions_header: Vec<String>,
    pub sessions: Vec<Vec<String>>,
    pub figures_header: Vec<String>,
    pub figures: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

fn ease_view(ease: &EaseOfChange) -> Option<EaseView> {
    if ease.sessions.is_empty() && ease.figures.is_empty() && ease.notes.is_empty() {
        return None;
    }
    let strings = |h: Vec<&str>| h.into_iter().map(str::to_string).collect();
    let (sessions_header, sessions) = super::change::sessions_rows(&ease.sessions);
    let (figures_header, figures) = super::change::ease_rows(&ease.figures);
    let mut notes = ease.notes.clone();
    if !ease.sessions.is_empty() {
        notes.push(format!("{} feedback session(s): {}", ease.sessions.len(), super::change::SESSIONS_NOTE));
    }
    if !ease.figures.is_empty() {
        notes.extend(super::change::ease_notes(&ease.figures));
    }
    Some(EaseView { sessions_header: strings(sessions_header), sessions, figures_header: strings(figures_header), figures, notes })
}

/// Writes `report.html` for the run in `dir` (its `.hgrm` files are read from there).
pub fn write(dir: &Path, results: &RunResults, ease: &EaseOfChange) -> Result<(), String> {
    let page = page(dir, results, ease)?;
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, page).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Why a run's report could not be rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("cannot read {path}: {source} — give the folder of a finished run (results/<run-id>/, holding run.json)")]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("{path} is not a run.json this version reads ({source}); rerun the bake-off, or rebuild with the bakeoff version that wrote it")]
    Parse { path: std::path::PathBuf, source: serde_json::Error },
    #[error("{0}")]
    Page(String),
}

/// Rebuilds `report.html` in `dir` from its `run.json` and histogram files, with the ease of
/// change `ease` finds for the run (sessions held since the run are shown); returns its path.
pub fn rebuild(dir: &Path, ease: impl FnOnce(&RunResults) -> EaseOfChange) -> Result<std::path::PathBuf, RebuildError> {
    let path = dir.join("run.json");
    let text = std::fs::read_to_string(&path).map_err(|source| RebuildError::Read { path: path.clone(), source })?;
    let results: RunResults = serde_json::from_str(&text).map_err(|source| RebuildError::Parse { path, source })?;
    write(dir, &results, &ease(&results)).map_err(RebuildError::Page)?;
    Ok(dir.join(FILE_NAME))
}

/// The page's HTML.
pub fn page(dir: &Path, results: &RunResults, ease: &EaseOfChange) -> Result<String, String> {
    let data = ReportData {
        run_id: results.run_id.clone(),
        quick: results.quick,
        verdict: verdict(results),
        spectra: spectra(dir, results)?,
        capacity_curves: capacity_curves(results)?,
        timelines: timelines(dir, results)?,
        resource_timelines: resource_timelines(results)?,
        ease_of_change: ease_view(ease),
    };
    let json = serde_json::to_string(&data).map_err(|e| e.to_string())?.replace("</", "<\\/");
    let tables: Vec<TableView> = scenario_tables(results).into_iter().map(TableView::from).collect();
    let legend: Vec<(&str, &str)> = FLAG_LEGEND.to_vec();
    let mut env = Environment::new();
    env.add_filter("fixed", |value: f64, digits: usize| format!("{value:.digits$}"));
    env.add_template("report.html", TEMPLATE).map_err(|e| e.to_string())?;
    let template = env.get_template("report.html").map_err(|e| e.to_string())?;
    let provenance = serde_json::to_string_pretty(&serde_json::json!({
        "environment": results.environment, "placement": results.placement, "dataset": results.dataset,
        "images": results.apps.iter().map(|a| (a.app.clone(), a.image_id.clone())).collect::<std::collections::BTreeMap<_, _>>(),
        "steady_rates": results.steady_rates, "config": results.config,
    }))
    .map_err(|e| e.to_string())?;
    template
        .render(context! {
            style => STYLE, run => results, data => &data, data_json => json, tables => tables, legend => legend,
            spectra => drawings(&data.spectra), capacity_curves => drawings(&data.capacity_curves), timelines => drawings(&data.timelines), resource_timelines => drawings(&data.resource_timelines),
            resources => resources(results), provenance => provenance,
            skipped => results.apps.iter().filter(|a| a.status != "measured").map(|a| (a.app.clone(), a.skipped_reason.clone().unwrap_or_default())).collect::<Vec<_>>(),
        })
        .map_err(|e| format!("rendering report.html: {e}"))
}

/// (title, SVG) of each chart, for the template (the embedded data leaves the SVG out).
fn drawings(charts: &[Chart]) -> Vec<(&str, &str)> {
    charts.iter().map(|c| (c.title.as_str(), c.svg.as_str())).collect()
}

/// A scenario table for the template.
#[derive(Serialize)]
struct TableView {
    title: &'static str,
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

impl From<Table> for TableView {
    fn from(t: Table) -> TableView {
        TableView { title: t.title, caption: t.caption, header: t.header, rows: t.rows, notes: t.notes }
    }
}

/// Per app and measured (steady) workload: the figures a team decides on.
fn verdict(results: &RunResults) -> Vec<VerdictRow> {
    let mut rows = Vec::new();
    for app in &results.apps {
        for w in &app.workloads {
            rows.push(verdict_row(app, w, results.quick));
        }
    }
    rows
}

fn verdict_row(app: &AppResult, w: &WorkloadResult, quick: bool) -> VerdictRow {
    let (l, r) = (&w.load, &w.load.response_time);
    let mut flags: Vec<String> = flags(w).into_iter().map(String::from).collect();
    let mut reasons = flag_reasons(w);
    let noisy: Vec<String> = app
        .spread
        .iter()
        .filter(|s| s.workload == w.workload && s.noisy)
        .map(|s| format!("{} varied {:.0} % (CV) over {} repetitions", s.metric, 100.0 * s.cv, s.n))
        .collect();
    if !noisy.is_empty() {
        flags.push("noisy".into());
        reasons.push(format!("noisy: {}", noisy.join("; ")));
    }
    if quick {
        flags.push("quick".into());
        reasons.push("quick: a smoke run (small catalogue, short phases); not for decisions".into());
    }
    VerdictRow {
        app: app.app.clone(),
        workload: w.workload.name().into(),
        capacity: app.capacity.iter().find(|c| c.workload == w.workload).map_or("–".into(), capacity_cell),
        rate_rps: l.target_rps.unwrap_or(0.0),
        p50_ms: r.p50_us as f64 / 1000.0,
        p99_ms: r.p99_us as f64 / 1000.0,
        throughput_rps: l.throughput_rps,
        error_rate: l.error_rate,
        app_cpu_share: w.app_resources.cpu_quota_share_mean,
        app_peak_mib: w.app_resources.memory_peak_bytes as f64 / (1u64 << 20) as f64,
        cold_start_ms: app.cold_start.as_ref().map(|c| c.median_healthy_ms).or(app.cold_start_ms),
        rebuild_s: app.deploy.as_ref().map(|d| d.incremental_build_ms as f64 / 1000.0),
        flags,
        reasons,
    }
}

/// The workloads measured at a steady rate, in order.
fn workloads(results: &RunResults) -> Vec<WorkloadKind> {
    let mut kinds: Vec<WorkloadKind> = results.apps.iter().flat_map(|a| a.workloads.iter().map(|w| w.workload)).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// One spectrum per workload: each app's response-time percentiles from its `.hgrm` file.
fn spectra(dir: &Path, results: &RunResults) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    for kind in workloads(results) {
        let mut series = Vec::new();
        for app in &results.apps {
            let Some(w) = app.workloads.iter().find(|w| w.workload == kind && !w.histogram_file.is_empty()) else { continue };
            let path = dir.join(&w.histogram_file);
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e} (rebuild the report from a complete run folder)", path.display()))?;
            series.push(Series { name: app.app.clone(), points: spectrum_points(&text) });
        }
        let chart = LineChart {
            x_label: "percentile".into(),
            y_label: "response time ms (from the intended send)".into(),
            percentile_axis: true,
            y_log: true,
            series,
            ..LineChart::default()
        };
        charts.push(drawn(format!("{} at the steady rate", kind.name()), chart)?);
    }
    Ok(charts)
}

/// (1/(1−p), value ms) of every row of an `.hgrm` file but the last (p = 100 %, which has no
/// 1/(1−p) column).
pub fn spectrum_points(hgrm: &str) -> Vec<(f64, f64)> {
    hgrm.lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            match cols.as_slice() {
                [value, _quantile, _count, inverse] => Some((inverse.parse::<f64>().ok()?, value.parse::<f64>().ok()?.max(0.001))),
                _ => None,
            }
        })
        .collect()
}

/// Per workload: p99 against the offered rate, every app's capacity steps, the SLO drawn.
fn capacity_curves(results: &RunResults) -> Result<Vec<Chart>, String> {
    let mut kinds: Vec<WorkloadKind> = results.apps.iter().flat_map(|a| a.capacity.iter().map(|c| c.workload)).collect();
    kinds.sort();
    kinds.dedup();
    let mut charts = Vec::new();
    for kind in kinds {
        let mut slo = None;
        let mut series = Vec::new();
        for app in &results.apps {
            let Some(c) = app.capacity.iter().find(|c| c.workload == kind) else { continue };
            slo = Some(c.slo_p99_ms);
            let mut points: Vec<(f64, f64)> = c.steps.iter().map(|s| (s.rps, (s.p99_us as f64 / 1000.0).max(0.001))).collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            series.push(Series { name: app.app.clone(), points });
        }
        let chart = LineChart {
            x_label: "offered rate /s".into(),
            y_label: "p99 ms".into(),
            x_log: true,
            y_log: true,
            threshold: slo.map(|ms| (ms, format!("SLO p99 ≤ {ms} ms"))),
            series,
            ..LineChart::default()
        };
        charts.push(drawn(format!("{}: p99 against the offered rate", kind.name()), chart)?);
    }
    Ok(charts)
}

/// Per-second p99, throughput and failures of every phase that has them: steady phases (from
/// their interval files), the capacity searches (their steps one after another), the spike (its
/// window shaded), the cold starts' warm-up curves, the deploy (the restart shaded); failed
/// checkouts per second around the database restart (the restart shaded).
fn timelines(dir: &Path, results: &RunResults) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    for kind in workloads(results) {
        let mut files = Vec::new();
        for app in &results.apps {
            let Some(w) = app.workloads.iter().find(|w| w.workload == kind && !w.intervals_file.is_empty()) else { continue };
            files.push((app.app.clone(), read_intervals(dir, &w.intervals_file)?));
        }
        charts.extend(three_views(&format!("{} at the steady rate", kind.name()), &files, vec![])?);
    }
    charts.extend(capacity_timelines(results)?);
    let spikes: Vec<_> = results.apps.iter().filter_map(|a| a.spike.as_ref().map(|s| (a, s))).collect();
    if let Some((_, first)) = spikes.first() {
        let window = vec![(first.before_s, first.before_s + first.spike_s)];
        let title = format!("spike ({} {}× for {} s, shaded)", first.workload.name(), first.peak_rps / first.base_rps.max(1e-9), first.spike_s);
        let with_files: Vec<_> = spikes.iter().filter(|(_, s)| !s.phase.intervals_file.is_empty()).collect();
        if with_files.len() == spikes.len() {
            let files =
                with_files.iter().map(|(a, s)| Ok((a.app.clone(), read_intervals(dir, &s.phase.intervals_file)?))).collect::<Result<Vec<_>, String>>()?;
            charts.extend(three_views(&title, &files, window)?);
        } else {
            let series = spikes.iter().map(|(a, s)| Series { name: a.app.clone(), points: per_second_ms(&s.p99_per_second_us) }).collect();
            charts.push(drawn(format!("{title}: p99 per second"), per_second("p99 ms", series, window))?);
        }
    }
    let colds: Vec<_> = results.apps.iter().filter_map(|a| a.cold_start.as_ref().and_then(|c| c.runs.first()).map(|r| (a, r))).collect();
    if !colds.is_empty() {
        let series = colds.iter().map(|(a, r)| Series { name: a.app.clone(), points: per_second_ms(&r.p99_per_second_us) }).collect();
        charts.push(drawn("cold start: p99 per second of a fresh container's first seconds (first run)".into(), per_second("p99 ms", series, vec![]))?);
    }
    let deploys: Vec<_> = results.apps.iter().filter_map(|a| a.deploy.as_ref().map(|d| (a, d))).filter(|(_, d)| !d.phase.intervals_file.is_empty()).collect();
    if let Some((_, first)) = deploys.first() {
        let files = deploys.iter().map(|(a, d)| Ok((a.app.clone(), read_intervals(dir, &d.phase.intervals_file)?))).collect::<Result<Vec<_>, String>>()?;
        let window = vec![(first.before_s, first.before_s + (first.restart_ms as f64 / 1000.0).max(0.5))];
        charts.extend(three_views("deploy (SIGTERM to healthy shaded)", &files, window)?);
    }
    let restarts: Vec<_> = results.apps.iter().filter_map(|a| a.db_restart.as_ref().map(|r| (a, r))).collect();
    if let Some((_, first)) = restarts.first() {
        let series = restarts
            .iter()
            .map(|(a, r)| Series { name: a.app.clone(), points: r.errors_per_second.iter().enumerate().map(|(s, &n)| (s as f64, n as f64)).collect() })
            .collect();
        let window = vec![(first.restart_at_s, first.restart_at_s + first.restart_took_s.max(0.5))];
        let mut chart = per_second("failed checkouts per second", series, window);
        chart.y_log = false;
        charts.push(drawn("database restart (shaded): failed checkout funnels per second".into(), chart)?);
    }
    Ok(charts)
}

/// p99, answers and failures per second of one phase across apps (each app's interval file).
fn three_views(title: &str, files: &[(String, String)], shaded: Vec<(f64, f64)>) -> Result<Vec<Chart>, String> {
    let series = |column: &str, scale: f64, floor: f64| -> Result<Vec<Series>, String> {
        files.iter().map(|(app, text)| Ok(Series { name: app.clone(), points: interval_column(text, column, scale, floor)? })).collect()
    };
    let mut answers = per_second("good answers per second", series("ok", 1.0, 0.0)?, shaded.clone());
    answers.y_log = false;
    let mut failures = per_second("failed requests per second", series("errors", 1.0, 0.0)?, shaded.clone());
    failures.y_log = false;
    Ok(vec![
        drawn(format!("{title}: p99 per second"), per_second("p99 ms", series("p99_us", 1e-3, 0.001)?, shaded))?,
        drawn(format!("{title}: good answers per second"), answers)?,
        drawn(format!("{title}: failures per second (errors, timeouts, drops)"), failures)?,
    ])
}

/// Per workload: each app's capacity search second by second, its steps one after another
/// (the step rates are in the capacity table and curve).
fn capacity_timelines(results: &RunResults) -> Result<Vec<Chart>, String> {
    let mut kinds: Vec<WorkloadKind> = results.apps.iter().flat_map(|a| a.capacity.iter().map(|c| c.workload)).collect();
    kinds.sort();
    kinds.dedup();
    let mut charts = Vec::new();
    for kind in kinds {
        let searches: Vec<_> = results.apps.iter().filter_map(|a| a.capacity.iter().find(|c| c.workload == kind).map(|c| (a, c))).collect();
        if searches.iter().all(|(_, c)| c.steps.iter().all(|s| s.p99_per_second_us.is_empty())) {
            continue;
        }
        let concat = |pick: fn(&crate::scenario::capacity::CapacityStep) -> Vec<f64>| -> Vec<Series> {
            searches
                .iter()
                .map(|(a, c)| Series { name: a.app.clone(), points: c.steps.iter().flat_map(pick).enumerate().map(|(s, v)| (s as f64, v)).collect() })
                .collect()
        };
        let p99 = concat(|s| s.p99_per_second_us.iter().map(|&us| (us as f64 / 1000.0).max(0.001)).collect());
        let mut answers = per_second("good answers per second", concat(|s| s.ok_per_second.iter().map(|&n| n as f64).collect()), vec![]);
        answers.y_log = false;
        answers.x_label = "second of the search (measured windows, steps in order)".into();
        let mut failures = per_second("failed requests per second", concat(|s| s.failed_per_second.iter().map(|&n| n as f64).collect()), vec![]);
        failures.y_log = false;
        failures.x_label = answers.x_label.clone();
        let mut latency = per_second("p99 ms", p99, vec![]);
        latency.x_label = answers.x_label.clone();
        charts.push(drawn(format!("{}: the capacity search, p99 per second", kind.name()), latency)?);
        charts.push(drawn(format!("{}: the capacity search, good answers per second", kind.name()), answers)?);
        charts.push(drawn(format!("{}: the capacity search, failures per second", kind.name()), failures)?);
    }
    Ok(charts)
}

fn read_intervals(dir: &Path, file: &str) -> Result<String, String> {
    let path = dir.join(file);
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn per_second(y_label: &str, series: Vec<Series>, shaded: Vec<(f64, f64)>) -> LineChart {
    LineChart { x_label: "second of the phase".into(), y_label: y_label.into(), y_log: true, shaded, series, ..LineChart::default() }
}

fn per_second_ms(us: &[u64]) -> Vec<(f64, f64)> {
    us.iter().enumerate().map(|(s, &us)| (s as f64, (us as f64 / 1000.0).max(0.001))).collect()
}

/// (second, value × `scale`, at least `floor`) of one column of an `.intervals.csv` file.
pub fn interval_column(text: &str, name: &str, scale: f64, floor: f64) -> Result<Vec<(f64, f64)>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name).ok_or(format!("no `{name}` column in an intervals file"));
    let (second, value) = (column("second")?, column(name)?);
    let mut points = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let number = |i: usize| record.get(i).and_then(|v| v.parse::<f64>().ok()).ok_or(format!("a malformed intervals row: {record:?}"));
        points.push((number(second)?, (number(value)? * scale).max(floor)));
    }
    Ok(points)
}

fn drawn(title: String, chart: LineChart) -> Result<Chart, String> {
    let svg = charts::svg(&chart, 1060, 360)?;
    Ok(Chart { title, x_label: chart.x_label, y_label: chart.y_label, series: chart.series, svg })
}

/// Per steady workload: the app's CPU and memory and PostgreSQL's CPU, reading by reading.
fn resource_timelines(results: &RunResults) -> Result<Vec<Chart>, String> {
    type Pick = fn(&WorkloadResult) -> Vec<f64>;
    let views: [(&str, &str, Pick); 3] = [
        ("app CPU", "cores", |w| w.app_resources.readings.iter().map(|r| r.cpu_cores).collect()),
        ("app memory", "MiB", |w| w.app_resources.readings.iter().map(|r| r.memory_bytes as f64 / (1u64 << 20) as f64).collect()),
        ("PostgreSQL CPU", "cores", |w| w.postgres_resources.readings.iter().map(|r| r.cpu_cores).collect()),
    ];
    let mut charts = Vec::new();
    for kind in workloads(results) {
        for (what, unit, pick) in views {
            let series: Vec<Series> = results
                .apps
                .iter()
                .filter_map(|a| a.workloads.iter().find(|w| w.workload == kind).map(|w| (a, pick(w))))
                .filter(|(_, values)| !values.is_empty())
                .map(|(a, values)| Series { name: a.app.clone(), points: values.into_iter().enumerate().map(|(i, v)| (i as f64, v)).collect() })
                .collect();
            if series.is_empty() {
                continue;
            }
            let chart = LineChart { x_label: "reading (about one a second)".into(), y_label: unit.into(), series, ..LineChart::default() };
            charts.push(drawn(format!("{} at the steady rate: {what}", kind.name()), chart)?);
        }
    }
    Ok(charts)
}

/// Resource use per app and workload: CPU and memory, app and database.
fn resources(results: &RunResults) -> Vec<Vec<String>> {
    let mib = |b: u64| format!("{:.0}", b as f64 / (1u64 << 20) as f64);
    let pct = |s: f64| format!("{:.0}%", 100.0 * s);
    results
        .apps
        .iter()
        .flat_map(|a| {
            a.workloads.iter().map(|w| {
                vec![
                    a.app.clone(),
                    w.workload.name().to_string(),
                    pct(w.app_resources.cpu_quota_share_mean),
                    format!("{:.2}", w.app_resources.cpu_cores_peak),
                    mib(w.app_resources.memory_mean_bytes),
                    mib(w.app_resources.memory_peak_bytes),
                    pct(w.postgres_resources.cpu_quota_share_mean),
                    mib(w.postgres_resources.memory_peak_bytes),
                ]
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{results, row};
    use crate::scenario::capacity::{Bound, CapacityResult, CapacityStep};

    /// A run of two apps with its histogram and interval files in `dir`.
    fn run_in(dir: &Path) -> RunResults {
        let mut run = results(vec![("gin", row(100, 3)), ("django", row(90, 40))]);
        for app in &mut run.apps {
            let w = &mut app.workloads[0];
            (w.histogram_file, w.intervals_file) = (format!("{}-search.hgrm", app.app), format!("{}-search.intervals.csv", app.app));
            let hgrm = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n       3.000 0.500000000000         50           2.00\n      40.000 0.990000000000         99         100.00\n      41.000 1.000000000000        100\n";
            std::fs::write(dir.join(&w.histogram_file), hgrm).unwrap();
            std::fs::write(dir.join(&w.intervals_file), "second,asked,sent,ok,errors,timeouts,drops,p50_us,p90_us,p99_us,max_us\n0,10,10,10,0,0,0,3000,3000,40000,41000\n1,10,10,10,0,0,0,3000,3000,9000,9000\n").unwrap();
        }
        let mut c = CapacityResult::empty(WorkloadKind::Search, 100.0, 0.001);
        (c.capacity_rps, c.bound) = (Some(212.5), Bound::Found);
        c.steps = vec![CapacityStep::made_up(100.0, 20_000, true), CapacityStep::made_up(212.5, 90_000, true), CapacityStep::made_up(220.0, 130_000, false)];
        run.apps[0].capacity.push(c);
        run
    }

    fn embedded(page: &str) -> serde_json::Value {
        let start = page.find("<script type=\"application/json\" id=\"report-data\">").expect("embedded data") + 49;
        let end = start + page[start..].find("</script>").unwrap();
        serde_json::from_str(&page[start..end]).expect("the embedded data is JSON")
    }

    #[test]
    fn the_page_embeds_every_app_and_workload_with_the_numbers_of_run_json() {
        let dir = tempfile::tempdir().unwrap();
        let run = run_in(dir.path());
        let page = page(dir.path(), &run, &EaseOfChange::default()).unwrap();
        let data = embedded(&page);
        let verdict = data["verdict"].as_array().unwrap();
        assert_eq!(verdict.len(), 2);
        for (row, app) in verdict.iter().zip(&run.apps) {
            let w = &app.workloads[0];
            assert_eq!(row["app"], app.app.as_str());
            assert_eq!(row["p99_ms"].as_f64().unwrap(), w.load.response_time.p99_us as f64 / 1000.0);
            assert_eq!(row["error_rate"].as_f64().unwrap(), w.load.error_rate);
            assert!(page.contains(&format!("<td>{}</td>", app.app)), "no {} row", app.app);
        }
        assert_eq!(verdict[0]["capacity"], "212.5/s");
        assert_eq!(data["capacity_curves"][0]["series"][0]["points"][1], serde_json::json!([212.5, 90.0]));
        assert_eq!(data["spectra"][0]["series"][1]["points"], serde_json::json!([[2.0, 3.0], [100.0, 40.0]]));
    }

    #[test]
    fn every_steady_phase_and_capacity_search_has_p99_answers_and_failures_per_second() {
        let dir = tempfile::tempdir().unwrap();
        let mut run = run_in(dir.path());
        std::fs::write(dir.path().join("django-search.intervals.csv"), "second,asked,sent,ok,errors,timeouts,drops,p50_us,p90_us,p99_us,max_us\n0,10,10,7,3,1,2,3000,3000,40000,41000\n1,10,10,10,0,0,0,3000,3000,9000,9000\n").unwrap();
        run.apps[0].capacity[0].steps[1].failed_per_second = vec![0, 2, 0];
        let data = embedded(&page(dir.path(), &run, &EaseOfChange::default()).unwrap());
        let titles: Vec<&str> = data["timelines"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect();
        let chart = |title: &str| {
            data["timelines"].as_array().unwrap().iter().find(|c| c["title"] == title).unwrap_or_else(|| panic!("no {title}: {titles:?}")).clone()
        };
        let failures = chart("search at the steady rate: failures per second (errors, timeouts, drops)");
        assert_eq!(failures["series"][1]["points"], serde_json::json!([[0.0, 3.0], [1.0, 0.0]]), "django's failed second");
        let answers = chart("search at the steady rate: good answers per second");
        assert_eq!(answers["series"][1]["points"][0], serde_json::json!([0.0, 7.0]));
        let search = chart("search: the capacity search, p99 per second");
        assert_eq!(search["series"][0]["points"].as_array().unwrap().len(), 9, "three steps of three seconds, one after another");
        chart("search: the capacity search, good answers per second");
        let failed = chart("search: the capacity search, failures per second");
        assert_eq!(failed["series"][0]["points"][4], serde_json::json!([4.0, 2.0]), "the second step's failed second");
    }

    #[test]
    fn feedback_sessions_show_beside_the_performance_figures_and_the_other_apps_get_static_figures() {
        use crate::change::ease::EaseSources;
        use crate::change::session::{Finish, Session};
        let (dir, feedback, results) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let apps_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps");
        let gin = crate::images::apps::discover(&apps_dir).unwrap().into_iter().find(|a| a.id == "gin").unwrap();
        let task = crate::change::task(&apps_dir.join("contract"), "order-history").unwrap();
        let (mut session, session_dir) = Session::start(feedback.path(), &gin, &task, Some("ana".into())).unwrap();
        let survey = crate::change::survey::Survey {
            ease: 4,
            confidence: 5,
            helped: String::new(),
            got_in_the_way: String::new(),
            comments: "sqlc made it short".into(),
        };
        let diff = crate::change::diff::DiffStats { lines_added: 40, lines_removed: 2, ..Default::default() };
        session.finish = Some(Finish { at_s: 900.0, time_to_green_s: Some(754.0), green: true, diff, survey: Some(survey) });
        session.save(&session_dir).unwrap();
        let mut run = run_in(dir.path());
        run.apps[1].image_size_bytes = Some(505_000_000);
        let sources = EaseSources { feedback_dir: feedback.path().into(), apps_dir, results_dir: results.path().into() };

        let page = page(dir.path(), &run, &sources.for_run(&run)).unwrap();
        let ease = &embedded(&page)["ease_of_change"];
        let sessions = ease["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 1, "{ease}");
        let cell = |name: &str| {
            let at = ease["sessions_header"].as_array().unwrap().iter().position(|h| h == name).unwrap();
            sessions[0][at].as_str().unwrap().to_string()
        };
        assert_eq!((cell("app"), cell("task"), cell("green")), ("gin".into(), "order-history".into(), "1/1".into()));
        assert_eq!((cell("time to green (median)"), cell("lines +/− (median)"), cell("ease")), ("12:34 min".into(), "+40 −2".into(), "4".into()));
        assert!(cell("quotes").contains("sqlc made it short"));
        let figures = ease["figures"].as_array().unwrap();
        assert_eq!(figures.len(), 1, "django has no session: {ease}");
        assert_eq!(figures[0][0], "django");
        assert_eq!(figures[0][5], "505", "the image size of this run");
        assert!(page.contains("<h2>Ease of change</h2>") && page.contains("sqlc made it short"));
        assert!(page.find("id=\"ease-of-change\"").unwrap() < page.find("id=\"spectra\"").unwrap(), "next to the performance figures");
    }

    #[test]
    fn a_run_without_sessions_or_app_folders_has_no_ease_section() {
        let dir = tempfile::tempdir().unwrap();
        let page = page(dir.path(), &run_in(dir.path()), &EaseOfChange::default()).unwrap();
        assert!(!page.contains("ease-of-change") && embedded(&page)["ease_of_change"].is_null());
    }

    #[test]
    fn the_page_loads_nothing_from_anywhere() {
        let dir = tempfile::tempdir().unwrap();
        let page = page(dir.path(), &run_in(dir.path()), &EaseOfChange::default()).unwrap();
        for pattern in ["src=", "href=\"http", "url(", "@import", "<link"] {
            assert!(!page.contains(pattern), "the page refers to something outside it: {pattern}");
        }
        assert!(page.matches("<svg").count() >= 3, "spectrum, capacity curve and timeline charts: {page}");
    }

    #[test]
    fn rebuilding_a_folder_without_run_json_says_what_folder_to_give() {
        let dir = tempfile::tempdir().unwrap();
        let error = rebuild(dir.path(), |_| EaseOfChange::default()).unwrap_err().to_string();
        assert!(error.contains("run.json") && error.contains("give the folder of a finished run"), "{error}");
    }

    #[test]
    fn rebuilding_from_run_json_gives_the_same_page_as_the_run_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let run = run_in(dir.path());
        write(dir.path(), &run, &EaseOfChange::default()).unwrap();
        let written = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        std::fs::write(dir.path().join("run.json"), serde_json::to_vec(&run).unwrap()).unwrap();
        rebuild(dir.path(), |_| EaseOfChange::default()).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap(), written);
    }

    #[test]
    fn an_hgrm_file_becomes_spectrum_points_without_its_last_row() {
        let text = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n       1.500 0.000000000000          1           1.00\n       9.000 0.900000000000         90          10.00\n      12.000 1.000000000000        100\n#[Mean    =        2.000, StdDeviation   =        1.000]\n";
        assert_eq!(spectrum_points(text), [(1.0, 1.5), (10.0, 9.0)]);
    }
}
