//! The leaderboard printed at the end of a run: one table per workload. Clean rows first by
//! p99, then rows where the app saturated (ranked by what they achieved), rows that measure the
//! database, and rows the generator limited; each flag is explained under the table.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::tables::{scenario_tables, Table};
use super::{flag_reasons, flags, ms, rank, FLAG_LEGEND};
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
    scenario_tables(results).iter().for_each(|t| out.push_str(&drawn(t)));
    let used: Vec<&str> = results.apps.iter().flat_map(|a| a.workloads.iter().flat_map(flags)).collect();
    for (flag, meaning) in FLAG_LEGEND.iter().filter(|(flag, _)| used.contains(flag)) {
        out.push_str(&format!("{}: {meaning}\n", flag.to_uppercase()));
    }
    for app in results.apps.iter().filter(|a| a.status != "measured") {
        out.push_str(&format!("skipped {}: {}\n", app.app, app.skipped_reason.as_deref().unwrap_or("")));
    }
    out
}

/// A scenario table drawn for the terminal, its notes under it.
fn drawn(t: &Table) -> String {
    let mut builder = Builder::default();
    builder.push_record(t.header.clone());
    t.rows.iter().for_each(|row| builder.push_record(row.clone()));
    let mut table = builder.build();
    table.with(Style::sharp());
    let mut out = format!("\n{}: {}\n{table}\n", t.title.to_lowercase(), t.caption);
    t.notes.iter().for_each(|note| out.push_str(&format!("  {note}\n")));
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
        let table = &text[text.find("capacity at the slo: The highest arrival rate").expect("a capacity table")..];
        let at = |app: &str| table.find(&format!("│ {app}")).unwrap_or_else(|| panic!("no {app} row:\n{text}"));
        assert!(at("gin") < at("rails") && at("rails") < at("spring"), "{table}");
        assert!(table.contains("≥ 800/s") && table.contains("118.5/s") && table.contains("< 12.5/s"), "{table}");
        assert!(table.contains("search (p99 ≤ 100 ms)"), "{table}");
    }
}
