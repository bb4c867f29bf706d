//! The leaderboard printed at the end of a run: one table per workload. Clean rows first by
//! p99, then rows where the app saturated (ranked by what they achieved), rows that measure the
//! database, and rows the generator limited; each flag is explained under the table.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::{capacity_rows, deploy_cells, flag_reasons, flags, ms, rank, recovery_cell, FLAG_LEGEND};
use crate::collect::RunResults;

pub fn leaderboard(results: &RunResults) -> String {
    let mut out = String::new();
    let mut kinds: Vec<_> = results.apps.iter().flat_map(|a| a.workloads.iter().map(|w| w.workload)).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mut rows: Vec<_> = results.apps.iter().filter_map(|a| a.workloads.iter().find(|w| w.workload == kind).map(|w| (a, w))).collect();
        rows.sort_by_key(|(_, w)| rank(w));
        let mut builder = Builder::default();
        builder.push_record([
            "app",
            "asked/s",
            "answered/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "errors",
            "app CPU",
            "db CPU",
            "peak MiB",
            "flags",
        ]);
        for (app, w) in &rows {
            let (l, r) = (&w.load, &w.load.response_time);
            builder.push_record([
                app.app.clone(),
                format!("{:.0}", l.target_rps.unwrap_or(0.0)),
                format!("{:.0}", l.throughput_rps),
                ms(r.p50_us),
                ms(r.p95_us),
                ms(r.p99_us),
                ms(r.p999_us),
                ms(r.max_us),
                format!("{:.2}%", l.error_rate * 100.0),
                format!("{:.0}%", w.app_resources.cpu_quota_share_mean * 100.0),
                format!("{:.0}%", w.postgres_resources.cpu_quota_share_mean * 100.0),
                format!("{:.0}", w.app_resources.memory_peak_bytes as f64 / (1 << 20) as f64),
                flags(w).join(", ").to_uppercase(),
            ]);
        }
        let mut table = builder.build();
        table.with(Style::sharp());
        out.push_str(&format!("\n{} workload\n{table}\n", kind.name()));
        for (app, w) in &rows {
            for reason in flag_reasons(w) {
                out.push_str(&format!("  {}: {reason}\n", app.app));
            }
        }
    }
    out.push_str(&capacity_table(results));
    out.push_str(&spike_table(results));
    out.push_str(&cold_start_table(results));
    out.push_str(&deploy_table(results));
    out.push_str(&db_restart_table(results));
    let used: Vec<&str> = results.apps.iter().flat_map(|a| a.workloads.iter().flat_map(flags)).collect();
    for (flag, meaning) in FLAG_LEGEND.iter().filter(|(flag, _)| used.contains(flag)) {
        out.push_str(&format!("{}: {meaning}\n", flag.to_uppercase()));
    }
    for app in results.apps.iter().filter(|a| a.status != "measured") {
        out.push_str(&format!("skipped {}: {}\n", app.app, app.skipped_reason.as_deref().unwrap_or("")));
    }
    out
}

/// Capacity at the SLO per app and workload (the headline figure).
fn capacity_table(results: &RunResults) -> String {
    let (kinds, rows) = capacity_rows(results);
    if rows.is_empty() {
        return String::new();
    }
    let slo = |k: &crate::load::WorkloadKind| {
        results.apps.iter().flat_map(|a| a.capacity.iter()).find(|c| c.workload == *k).map_or(String::new(), |c| format!(" (p99 ≤ {} ms)", c.slo_p99_ms))
    };
    let mut builder = Builder::default();
    builder.push_record(std::iter::once("app".to_string()).chain(kinds.iter().map(|k| format!("{}{}", k.name(), slo(k)))));
    for (app, cells) in rows {
        builder.push_record(std::iter::once(app).chain(cells));
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!(
        "
capacity: the highest rate within the SLO (errors ≤ 0.1 %, not saturated)
{table}
"
    )
}

/// What a traffic spike did to each app.
fn spike_table(results: &RunResults) -> String {
    let spikes: Vec<_> = results.apps.iter().filter_map(|a| a.spike.as_ref().map(|s| (a, s))).collect();
    let Some((_, first)) = spikes.first() else { return String::new() };
    let mut builder = Builder::default();
    builder.push_record(["app", "base → peak /s", "p99 before ms", "p99 in spike ms", "errors in spike", "max backlog", "recovery"]);
    for (app, s) in &spikes {
        builder.push_record([
            app.app.clone(),
            format!("{} → {}", s.base_rps, s.peak_rps),
            ms(s.before_p99_us),
            ms(s.spike_p99_us),
            format!("{:.2}%", s.spike_error_rate * 100.0),
            s.max_outstanding.to_string(),
            recovery_cell(s.recovery_s),
        ]);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!(
        "
spike: {} at {}× the base rate for {} s
{table}
",
        first.workload.name(),
        first.peak_rps / first.base_rps.max(1e-9),
        first.spike_s
    )
}

/// Fresh containers: start-up milestones and warm-up (medians over the runs).
fn cold_start_table(results: &RunResults) -> String {
    let rows: Vec<_> = results.apps.iter().filter_map(|a| a.cold_start.as_ref().map(|c| super::cold_start_cells(&a.app, c))).collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut builder = Builder::default();
    builder.push_record(super::COLD_START_HEADER);
    rows.into_iter().for_each(|row| builder.push_record(row));
    let mut table = builder.build();
    table.with(Style::sharp());
    format!(
        "\ncold start: from `docker start`, medians of fresh containers; warm-up settled when a rolling 3 s p99 stayed within 1.2× the final level\n{table}\n"
    )
}

/// What building and restarting each app costs a developer.
fn deploy_table(results: &RunResults) -> String {
    let rows: Vec<_> = results.apps.iter().filter_map(|a| a.deploy.as_ref().map(|d| deploy_cells(&a.app, d))).collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut builder = Builder::default();
    builder.push_record(super::DEPLOY_HEADER);
    rows.into_iter().for_each(|row| builder.push_record(row));
    let mut table = builder.build();
    table.with(Style::sharp());
    format!("\ndeploy: image builds, and a restart under steady load (a new container on the same port)\n{table}\n")
}

/// What a database restart under checkout load did to each app.
fn db_restart_table(results: &RunResults) -> String {
    let restarts: Vec<_> = results.apps.iter().filter_map(|a| a.db_restart.as_ref().map(|r| (a, r))).collect();
    let Some((_, first)) = restarts.first() else { return String::new() };
    let mut builder = Builder::default();
    builder.push_record(["app", "errors", "answered again after", "orders acknowledged", "found", "lost", "stock mismatches", "verdict"]);
    for (app, r) in &restarts {
        builder.push_record([
            app.app.clone(),
            format!("{} of {}", r.errors, r.requests),
            super::recovered_cell(r.recovered_after_s),
            r.acknowledged_orders.to_string(),
            r.orders_found.to_string(),
            r.lost_orders.to_string(),
            r.stock_mismatches.to_string(),
            super::restart_verdict(r),
        ]);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    let mut out = format!(
        "
db-restart: checkouts at {}/s, PostgreSQL restarted {} s in
{table}
",
        first.rps, first.restart_at_s
    );
    for (app, r) in &restarts {
        for lost in &r.lost_order_examples {
            out.push_str(&format!("  {}: order {} acknowledged, {}\n", app.app, lost.id, lost.why));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{results, row};

    #[test]
    fn a_saturated_app_is_shown_as_its_own_result_and_explained_not_called_generator_limited() {
        let text = leaderboard(&results(vec![("laravel", row(60, 900)), ("gin", row(100, 3))]));
        let lines: Vec<&str> = text.lines().collect();
        let gin = lines.iter().position(|l| l.contains("│ gin")).expect("gin row");
        let laravel = lines.iter().position(|l| l.contains("│ laravel")).expect("laravel row");
        assert!(gin < laravel, "the clean row ranks first:\n{text}");
        assert!(lines[laravel].contains("SATURATED") && !text.contains("GENERATOR-LIMITED"), "{text}");
        assert!(text.contains("laravel: saturated: the app could not keep up — 40 requests dropped"), "{text}");
        assert!(text.contains("SATURATED: the app could not keep up with the rate asked"), "no legend:\n{text}");
    }

    #[test]
    fn saturated_rows_rank_by_what_they_achieved_and_db_bound_rows_say_so() {
        let mut db_bound = row(100, 40);
        db_bound.db_saturated = true;
        db_bound.db_saturated_reason = Some("PostgreSQL used 97 % of its 1 core(s): this row measures the database, not the app".into());
        let text = leaderboard(&results(vec![("rails", row(30, 2_000)), ("express", row(80, 1_000)), ("fiber", db_bound)]));
        let at = |app: &str| text.find(&format!("│ {app}")).unwrap_or_else(|| panic!("no {app} row:\n{text}"));
        assert!(at("express") < at("rails"), "more answers per second ranks higher:\n{text}");
        assert!(at("rails") < at("fiber"), "{text}");
        assert!(text.contains("fiber: db-saturated: PostgreSQL used 97 %"), "{text}");
    }

    fn capacity(kind: crate::load::WorkloadKind, rps: Option<f64>, bound: crate::scenario::capacity::Bound) -> crate::scenario::capacity::CapacityResult {
        let mut c = crate::scenario::capacity::CapacityResult::empty(kind, 100.0, 0.001);
        (c.capacity_rps, c.bound) = (rps, bound);
        c.steps.push(crate::scenario::capacity::CapacityStep::made_up(12.5, 1, false));
        c
    }

    #[test]
    fn capacity_is_ranked_highest_first_and_an_early_stop_or_a_miss_is_shown_as_a_bound() {
        use crate::load::WorkloadKind::Search;
        use crate::scenario::capacity::Bound;
        let mut run = results(vec![("rails", row(100, 3)), ("gin", row(100, 3)), ("spring", row(100, 3))]);
        run.apps[0].capacity.push(capacity(Search, Some(118.5), Bound::Found));
        run.apps[1].capacity.push(capacity(Search, Some(800.0), Bound::AtLeast));
        run.apps[2].capacity.push(capacity(Search, None, Bound::Below));
        let text = leaderboard(&run);
        let table = &text[text.find("capacity: the highest rate").expect("a capacity table")..];
        let at = |app: &str| table.find(&format!("│ {app}")).unwrap_or_else(|| panic!("no {app} row:\n{text}"));
        assert!(at("gin") < at("rails") && at("rails") < at("spring"), "{table}");
        assert!(table.contains("≥ 800/s") && table.contains("118.5/s") && table.contains("< 12.5/s"), "{table}");
        assert!(table.contains("search (p99 ≤ 100 ms)"), "{table}");
    }
}
