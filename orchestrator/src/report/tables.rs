//! The scenario tables of a run as data — title, caption, header, rows, notes — so every exporter
//! (the leaderboard on the terminal, summary.md) shows the same cells and only draws them its way.

use super::ms;
use crate::collect::{AppResult, RunResults};
use crate::load::WorkloadKind;
use crate::scenario::capacity::{Bound, CapacityResult};
use crate::scenario::cold_start::ColdStartResult;
use crate::scenario::db_restart::DbRestartResult;
use crate::scenario::deploy::DeployResult;

/// One scenario's results across apps.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Heading, e.g. "Capacity at the SLO".
    pub title: &'static str,
    /// One or two sentences saying what the table measured.
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Lines under the table (why a search stopped, lost orders), each naming its app.
    pub notes: Vec<String>,
}

/// Every scenario table that has rows, in the order a reader wants them.
pub fn scenario_tables(results: &RunResults) -> Vec<Table> {
    [
        capacity(results),
        server_side(results),
        super::generators::table(results),
        spike(results),
        cold_start(results),
        deploy(results),
        db_restart(results),
        repetitions(results),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The steady rows seen from inside the app (its own `/metrics`) beside the generator's view.
fn server_side(results: &RunResults) -> Option<Table> {
    let opt = |v: Option<f64>, digits: usize| v.map_or("–".to_string(), |v| format!("{v:.digits$}"));
    let rows: Vec<Vec<String>> = results
        .apps
        .iter()
        .flat_map(|a| a.workloads.iter().map(move |w| (a, w)))
        .filter(|(_, w)| w.server.scrapes > 0)
        .map(|(a, w)| {
            let s = &w.server;
            let gc = match s.gc_measures.as_deref() {
                Some("seconds") => s.gc_delta.map_or("–".into(), |g| format!("{:.0} ms", g * 1000.0)),
                _ => s.gc_delta.map_or("–".into(), |g| format!("{g:.0} runs")),
            };
            vec![
                a.app.clone(),
                w.workload.name().to_string(),
                ms(w.load.response_time.p99_us),
                opt(s.p99_ms, 1),
                opt(s.p50_ms, 1),
                s.requests.to_string(),
                opt(s.pool_in_use_max, 0),
                opt(s.pool_waiting_max, 0),
                gc,
                opt(s.event_loop_lag_max_ms, 1),
                opt(s.scrape_ms_max, 1),
            ]
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let notes = results
        .apps
        .iter()
        .flat_map(|a| a.workloads.iter().filter_map(move |w| w.server.note.as_ref().map(|n| format!("{} / {}: {n}", a.app, w.workload.name()))))
        .collect();
    let header = [
        "app",
        "workload",
        "p99 client (ms)",
        "p99 server (ms)",
        "p50 server (ms)",
        "requests counted",
        "pool in use (max)",
        "pool waiting (max)",
        "GC",
        "event-loop lag (max ms)",
        "slowest scrape (ms)",
    ];
    Some(Table {
        title: "Seen from inside the app",
        caption: "The steady phases by the app's own /metrics (scraped at the start, once a second and at the end), beside the generator's p99. A client p99 well above the server's is time spent queueing before the app's timer starts (accept queue, workers busy); server percentiles are interpolated inside the app's histogram buckets.".into(),
        header: strings(&header),
        rows,
        notes,
    })
}

/// With `--repeat`: every key figure's median, 95 % interval and CV over the repetitions.
fn repetitions(results: &RunResults) -> Option<Table> {
    let rows: Vec<Vec<String>> = results
        .apps
        .iter()
        .flat_map(|a| a.spread.iter().filter(|s| s.n > 1).map(move |s| (a, s)))
        .map(|(a, s)| {
            let (scale, unit) = if s.metric.ends_with("_us") { (1000.0, " ms") } else { (1.0, "/s") };
            let v = |x: f64| format!("{:.1}{unit}", x / scale);
            vec![
                a.app.clone(),
                s.workload.name().to_string(),
                s.metric.trim_end_matches("_us").trim_end_matches("_rps").to_string(),
                s.n.to_string(),
                v(s.median),
                format!("{} – {}", v(s.ci95_low), v(s.ci95_high)),
                format!("{:.1} %", 100.0 * s.cv),
                if s.noisy { "NOISY".into() } else { String::new() },
            ]
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let header = ["app", "workload", "figure", "repetitions", "median", "95 % interval of the median", "CV", "noisy (CV > 10 %)"];
    Some(Table {
        title: "Repetitions",
        caption: format!("Each figure over {} repetitions, interleaved across apps: the median, a 95 % bootstrap interval of the median and the coefficient of variation. A noisy figure moved more than 10 % between repetitions; do not decide on it alone.", results.repeat),
        header: strings(&header),
        rows,
        notes: Vec::new(),
    })
}

/// Capacity at the SLO per app and workload (the headline figure).
fn capacity(results: &RunResults) -> Option<Table> {
    let mut kinds: Vec<WorkloadKind> = results.apps.iter().flat_map(|a| a.capacity.iter().map(|c| c.workload)).collect();
    kinds.sort();
    kinds.dedup();
    let first = kinds.first().copied()?;
    let mut apps: Vec<&AppResult> = results.apps.iter().filter(|a| !a.capacity.is_empty()).collect();
    let key = |a: &&AppResult| a.capacity.iter().find(|c| c.workload == first).and_then(|c| c.capacity_rps).unwrap_or(0.0);
    apps.sort_by(|a, b| key(b).total_cmp(&key(a)));
    let slo = |k: WorkloadKind| {
        results.apps.iter().flat_map(|a| a.capacity.iter()).find(|c| c.workload == k).map_or(String::new(), |c| format!(" (p99 ≤ {} ms)", c.slo_p99_ms))
    };
    let mut header = vec!["app".to_string()];
    header.extend(kinds.iter().map(|&k| format!("{}{}", k.name(), slo(k))));
    let rows = apps
        .iter()
        .map(|a| {
            let mut row = vec![a.app.clone()];
            row.extend(kinds.iter().map(|k| a.capacity.iter().find(|c| c.workload == *k).map_or("–".into(), capacity_cell)));
            row
        })
        .collect();
    let notes = apps
        .iter()
        .flat_map(|a| a.capacity.iter().filter(|c| !c.note.is_empty()).map(move |c| format!("{} / {}: {}", a.app, c.workload.name(), c.note)))
        .collect();
    Some(Table {
        title: "Capacity at the SLO",
        caption: "The highest arrival rate with p99 within the workload's SLO, errors ≤ 0.1 % and the app not saturated (`≥`: the search stopped early; `<`: even the lowest rate tried broke it).".into(),
        header,
        rows,
        notes,
    })
}

/// A capacity in words: `212.5/s`, `≥ 400/s` (the search stopped early), `< 12.5/s`.
pub fn capacity_cell(c: &CapacityResult) -> String {
    let lowest = c.steps.iter().map(|s| s.rps).fold(f64::INFINITY, f64::min);
    match (c.bound, c.capacity_rps) {
        (Bound::Found, Some(rps)) => format!("{rps}/s"),
        (Bound::AtLeast, Some(rps)) => format!("≥ {rps}/s"),
        (Bound::AtLeast, None) => "– (generator-limited)".into(),
        (_, _) if lowest.is_finite() => format!("< {lowest}/s"),
        _ => "–".into(),
    }
}

/// What a traffic spike did to each app.
fn spike(results: &RunResults) -> Option<Table> {
    let spikes: Vec<_> = results.apps.iter().filter_map(|a| a.spike.as_ref().map(|s| (a, s))).collect();
    let (_, first) = spikes.first()?;
    let caption = format!(
        "{} at {}× the base rate for {} s, then the base rate again. Recovery: from the end of the spike until the per-second p99 is within 1.5× the p99 before it, two seconds in a row.",
        first.workload.name(),
        first.peak_rps / first.base_rps.max(1e-9),
        first.spike_s
    );
    let rows = spikes
        .iter()
        .map(|(app, s)| {
            vec![
                app.app.clone(),
                format!("{} → {}", s.base_rps, s.peak_rps),
                ms(s.before_p99_us),
                ms(s.spike_p99_us),
                format!("{:.2}%", s.spike_error_rate * 100.0),
                s.max_outstanding.to_string(),
                s.recovery_s.map_or("did not recover".into(), |s| format!("{s:.0} s")),
            ]
        })
        .collect();
    let header = ["app", "base → peak /s", "p99 before ms", "p99 in spike ms", "errors in spike", "max backlog", "recovery"];
    Some(Table { title: "Spike", caption, header: strings(&header), rows, notes: Vec::new() })
}

/// Fresh containers: start-up milestones and warm-up (medians over the runs).
fn cold_start(results: &RunResults) -> Option<Table> {
    let rows: Vec<_> = results.apps.iter().filter_map(|a| a.cold_start.as_ref().map(|c| cold_start_cells(&a.app, c))).collect();
    if rows.is_empty() {
        return None;
    }
    let header = ["app", "TCP accept ms", "healthy ms", "first search ms", "first checkout ms", "settled after", "settled p99 ms"];
    Some(Table {
        title: "Cold start",
        caption:
            "From `docker start`, medians over fresh containers; warm-up settled when a rolling 3 s p99 stayed within 1.2× the level of the curve's last third."
                .into(),
        header: strings(&header),
        rows,
        notes: Vec::new(),
    })
}

fn cold_start_cells(app: &str, c: &ColdStartResult) -> Vec<String> {
    let mut settled: Vec<u64> = c.runs.iter().map(|r| r.settled_p99_us).collect();
    settled.sort_unstable();
    vec![
        app.to_string(),
        c.median_tcp_accept_ms.to_string(),
        c.median_healthy_ms.to_string(),
        c.median_first_search_ms.to_string(),
        c.median_first_checkout_ms.to_string(),
        c.median_settle_s.map_or("did not settle".into(), |s| format!("{s:.0} s at {}/s", c.rps)),
        settled.get(settled.len() / 2).map_or("–".into(), |us| ms(*us)),
    ]
}

/// What building and restarting each app costs a developer.
fn deploy(results: &RunResults) -> Option<Table> {
    let rows: Vec<_> = results.apps.iter().filter_map(|a| a.deploy.as_ref().map(|d| deploy_cells(&a.app, d))).collect();
    if rows.is_empty() {
        return None;
    }
    let header = ["app", "no-cache build", "image MiB", "rebuild after one line", "restart (SIGTERM → healthy)", "failed during restart", "without success"];
    Some(Table {
        title: "Deploy",
        caption: "A full image build without the build cache, a rebuild after a one-line change, and a restart under steady load: SIGTERM, then a new container of the same image on the same port.".into(),
        header: strings(&header),
        rows,
        notes: Vec::new(),
    })
}

fn deploy_cells(app: &str, d: &DeployResult) -> Vec<String> {
    let secs = |ms: u64| format!("{:.1} s", ms as f64 / 1000.0);
    let classes: Vec<String> = d.failed_by_class.iter().map(|(class, n)| format!("{class} {n}")).collect();
    let failed = if classes.is_empty() { format!("0 of {}", d.requests) } else { format!("{} of {} ({})", d.failed_requests, d.requests, classes.join(", ")) };
    vec![
        app.to_string(),
        d.no_cache_build_ms.map_or("skipped (--quick)".into(), secs),
        format!("{:.0}", d.image_size_bytes as f64 / (1024.0 * 1024.0)),
        format!("{} ({})", secs(d.incremental_build_ms), d.touched_file),
        format!("{} (old stopped in {}, exit {})", secs(d.restart_ms), secs(d.stop_ms), d.old_exit_code),
        format!("{failed} at {}/s", d.rps),
        format!("{:.1} s{}", d.seconds_without_success, if d.answered_again { "" } else { ", no answer after" }),
    ]
}

/// What a database restart under checkout load did to each app.
fn db_restart(results: &RunResults) -> Option<Table> {
    let restarts: Vec<_> = results.apps.iter().filter_map(|a| a.db_restart.as_ref().map(|r| (a, r))).collect();
    let (_, first) = restarts.first()?;
    let caption = format!(
        "Checkouts at {}/s; PostgreSQL restarted {} s in. Every order the app acknowledged must be in the database with its lines, and stock must have moved by exactly the phase's orders.",
        first.rps, first.restart_at_s
    );
    let rows = restarts
        .iter()
        .map(|(app, r)| {
            vec![
                app.app.clone(),
                format!("{:.1} s", r.restart_took_s),
                format!("{} of {}", r.errors, r.requests),
                r.recovered_after_s.map_or("did not recover".into(), |s| format!("{s:.1} s")),
                r.acknowledged_orders.to_string(),
                r.orders_found.to_string(),
                r.unacknowledged_orders.to_string(),
                r.lost_orders.to_string(),
                r.stock_mismatches.to_string(),
                restart_verdict(r),
            ]
        })
        .collect();
    let mut notes = Vec::new();
    for (app, r) in &restarts {
        notes.extend(r.lost_order_examples.iter().map(|lost| format!("{}: order {} acknowledged, {}", app.app, lost.id, lost.why)));
        notes.extend(
            r.stock_mismatch_examples.iter().map(|m| format!("{}: product {}: stock moved by {}, orders took {}", app.app, m.product_id, m.moved, m.ordered)),
        );
    }
    let header = [
        "app",
        "restart took",
        "errors",
        "answered again after",
        "orders acknowledged",
        "found",
        "unacknowledged commits",
        "lost",
        "stock mismatches",
        "verdict",
    ];
    Some(Table { title: "Database restart", caption, header: strings(&header), rows, notes })
}

/// A db-restart verdict: `pass`, or `FAIL` with what was lost.
fn restart_verdict(r: &DbRestartResult) -> String {
    if r.passed {
        "pass".into()
    } else if r.acknowledged_orders == 0 {
        "FAIL: no order acknowledged, nothing to check".into()
    } else {
        format!("FAIL: {} lost, {} stock mismatches", r.lost_orders, r.stock_mismatches)
    }
}

fn strings(header: &[&str]) -> Vec<String> {
    header.iter().map(|h| h.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::spread::{figures_of, spreads};
    use crate::report::testing::{results, row};
    use crate::report::Exporter;
    use crate::scenario::capacity::CapacityStep;

    #[test]
    fn a_steady_row_with_scrapes_is_shown_from_inside_the_app_beside_the_clients_p99() {
        let mut with = row(100, 30);
        with.server = crate::collect::server::ServerView { requests: 100, p99_ms: Some(4.5), pool_waiting_max: Some(3.0), scrapes: 12, ..Default::default() };
        let run = results(vec![("gin", with), ("django", row(100, 3))]);
        let table = server_side(&run).expect("a table");
        assert_eq!(table.rows.len(), 1, "a row without scrapes is left out: {:?}", table.rows);
        assert_eq!(&table.rows[0][..4], &["gin", "search", "30.0", "4.5"], "{:?}", table.rows[0]);
        assert!(server_side(&results(vec![("gin", row(100, 3))])).is_none());
    }

    #[test]
    fn repeated_figures_get_a_table_with_median_interval_cv_and_a_noisy_mark() {
        let mut run = results(vec![("gin", row(100, 3))]);
        run.repeat = 3;
        let reps: Vec<_> = [3, 4, 6].iter().enumerate().map(|(i, &ms)| figures_of(&results(vec![("gin", row(100, ms))]).apps[0], i as u32)).collect();
        run.apps[0].spread = spreads(&reps);
        let table = scenario_tables(&run).into_iter().find(|t| t.title == "Repetitions").expect("a repetitions table");
        let p99 = table.rows.iter().find(|r| r[2] == "p99").expect("a p99 row");
        assert_eq!(p99[..5], ["gin", "search", "p99", "3", "4.0 ms"]);
        assert_eq!(p99[7], "NOISY", "3, 4 and 6 ms vary by far more than 10 %: {p99:?}");
        assert!(scenario_tables(&results(vec![("gin", row(100, 3))])).iter().all(|t| t.title != "Repetitions"), "no table for one repetition");
    }

    #[test]
    fn the_leaderboard_and_summary_md_show_every_cell_and_note_of_every_scenario_table() {
        let mut run = results(vec![("gin", row(100, 3)), ("django", row(100, 3))]);
        let mut found = CapacityResult::empty(WorkloadKind::Search, 100.0, 0.001);
        (found.capacity_rps, found.bound, found.note) = (Some(212.5), Bound::Found, "met the SLO at 212.5/s, broke it at 220/s".into());
        found.steps = vec![CapacityStep::made_up(212.5, 90_000, true), CapacityStep::made_up(220.0, 120_000, false)];
        run.apps[0].capacity.push(found);
        let mut below = CapacityResult::empty(WorkloadKind::Search, 100.0, 0.001);
        below.steps = vec![CapacityStep::made_up(3.2, 500_000, false)];
        run.apps[1].capacity.push(below);
        let tables = scenario_tables(&run);
        assert_eq!(tables.len(), 1, "only capacity has rows");
        assert_eq!(tables[0].rows, [["gin", "212.5/s"], ["django", "< 3.2/s"]]);
        let terminal = crate::report::leaderboard::leaderboard(&run);
        let markdown = String::from_utf8(crate::report::markdown::Markdown.export(&run)).unwrap();
        for text in [&terminal, &markdown] {
            for cell in tables[0].rows.iter().flatten().chain(&tables[0].header).chain(&tables[0].notes) {
                assert!(text.contains(cell.as_str()), "{cell} missing from:\n{text}");
            }
        }
    }
}
