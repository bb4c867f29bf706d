//! `summary.md`: the run for people — placement, environment and a table per workload.

use super::{capacity_rows, flag_reasons, flags, ms, recovery_cell, Exporter, FLAG_LEGEND};
use crate::collect::RunResults;

pub struct Markdown;

impl Exporter for Markdown {
    fn file_name(&self) -> &'static str {
        "summary.md"
    }

    fn export(&self, results: &RunResults) -> Vec<u8> {
        let e = &results.environment;
        let p = &results.placement;
        let mut out = format!(
            "# bakeoff run {}{}\n\n{} · {} cores · {:.0} GiB · {} · Docker {} (API {}) · dataset {} products, seed {}, sha256 {}…\n\n\
             Placement: app on CPU {} ({} core(s), {} MiB), PostgreSQL on CPU {} ({} MiB), load generator on CPU {:?}. {}\n\n",
            results.run_id,
            if results.quick { " (quick: not for decisions)" } else { "" },
            e.cpu_model,
            e.cores,
            e.memory_bytes as f64 / (1u64 << 30) as f64,
            e.kernel,
            e.docker_version,
            e.docker_api_version,
            results.dataset.products,
            results.dataset.seed,
            &results.dataset.checksum_sha256[..12.min(results.dataset.checksum_sha256.len())],
            p.app_cpuset,
            p.app_cpus,
            p.app_memory_mb,
            p.postgres_cpuset,
            p.postgres_memory_mb,
            p.generator_cpus,
            p.note,
        );
        out.push_str("| app | workload | asked/s | answered/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors | app CPU of quota | db CPU of quota | app peak MiB | image MiB | cold start ms | flags |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        let mut explained = String::new();
        for app in &results.apps {
            for w in &app.workloads {
                let (l, r) = (&w.load, &w.load.response_time);
                out.push_str(&format!(
                    "| {} | {} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {:.2}% | {:.0}% | {:.0}% | {:.0} | {:.0} | {} | {} |\n",
                    app.app,
                    w.workload.name(),
                    l.target_rps.unwrap_or(0.0),
                    l.throughput_rps,
                    ms(r.p50_us),
                    ms(r.p95_us),
                    ms(r.p99_us),
                    ms(r.p999_us),
                    ms(r.max_us),
                    l.error_rate * 100.0,
                    w.app_resources.cpu_quota_share_mean * 100.0,
                    w.postgres_resources.cpu_quota_share_mean * 100.0,
                    w.app_resources.memory_peak_bytes as f64 / (1u64 << 20) as f64,
                    app.image_size_bytes.unwrap_or(0) as f64 / (1u64 << 20) as f64,
                    app.cold_start_ms.map(|v| v.to_string()).unwrap_or_default(),
                    flags(w).join(", "),
                ));
                for reason in flag_reasons(w) {
                    explained.push_str(&format!("- **{} / {}** — {}\n", app.app, w.workload.name(), cell(&reason)));
                }
            }
            if let Some(reason) = &app.skipped_reason {
                out.push_str(&format!("| {} | — | skipped: {} |||||||||||||||\n", app.app, cell(reason)));
            }
        }
        out.push_str(&capacity_section(results));
        out.push_str(&spike_section(results));
        out.push_str(&cold_start_section(results));
        out.push_str(&deploy_section(results));
        out.push_str(&db_restart_section(results));
        if !explained.is_empty() {
            out.push_str("\n## Flagged rows\n\n");
            for (flag, meaning) in FLAG_LEGEND {
                out.push_str(&format!("- *{flag}*: {meaning}.\n"));
            }
            out.push('\n');
            out.push_str(&explained);
        }
        out.into_bytes()
    }
}

/// Capacity at the SLO, and how the steady rates followed from it.
fn capacity_section(results: &RunResults) -> String {
    let mut out = String::new();
    if !results.steady_rates.is_empty() {
        out.push_str("\nSteady rates (the table above): ");
        let rates: Vec<String> = results.steady_rates.iter().map(|(k, r)| format!("{} {}/s — {}", k.name(), r.rps, r.why)).collect();
        out.push_str(&rates.join("; "));
        out.push('\n');
    }
    let (kinds, rows) = capacity_rows(results);
    if rows.is_empty() {
        return out;
    }
    out.push_str("\n## Capacity at the SLO\n\nThe highest arrival rate with p99 within the workload's SLO, errors ≤ 0.1 % and the app not saturated (`≥`: the search stopped early; `<`: even the lowest rate tried broke it).\n\n");
    out.push_str(&format!("| app | {} |\n|---|{}\n", kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(" | "), "---|".repeat(kinds.len())));
    for (app, cells) in rows {
        out.push_str(&format!("| {app} | {} |\n", cells.join(" | ")));
    }
    for app in &results.apps {
        for c in &app.capacity {
            out.push_str(&format!("\n- **{} / {}** — {}", app.app, c.workload.name(), cell(&c.note)));
        }
    }
    out.push('\n');
    out
}

/// The spike scenario per app.
fn spike_section(results: &RunResults) -> String {
    let spikes: Vec<_> = results.apps.iter().filter_map(|a| a.spike.as_ref().map(|s| (a, s))).collect();
    if spikes.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## Spike\n\n| app | workload | base → peak /s | p99 before ms | p99 in spike ms | errors in spike | max backlog | recovery |\n|---|---|---|---|---|---|---|---|\n");
    for (app, s) in spikes {
        out.push_str(&format!(
            "| {} | {} | {} → {} | {} | {} | {:.2}% | {} | {} |\n",
            app.app,
            s.workload.name(),
            s.base_rps,
            s.peak_rps,
            ms(s.before_p99_us),
            ms(s.spike_p99_us),
            s.spike_error_rate * 100.0,
            s.max_outstanding,
            recovery_cell(s.recovery_s)
        ));
    }
    out
}

/// The deploy scenario per app.
fn deploy_section(results: &RunResults) -> String {
    let rows: Vec<_> = results.apps.iter().filter_map(|a| a.deploy.as_ref().map(|d| super::deploy_cells(&a.app, d))).collect();
    if rows.is_empty() {
        return String::new();
    }
    let header = super::DEPLOY_HEADER;
    let mut out = format!(
        "\n## Deploy\n\nA full image build without the build cache, a rebuild after a one-line change, and a restart under steady load: SIGTERM, then a new container of the same image on the same port.\n\n| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for row in rows {
        out.push_str(&format!("| {} |\n", row.map(|c| cell(&c)).join(" | ")));
    }
    out
}

/// Fresh containers per app (medians over the runs).
fn cold_start_section(results: &RunResults) -> String {
    let rows: Vec<_> = results.apps.iter().filter_map(|a| a.cold_start.as_ref().map(|c| super::cold_start_cells(&a.app, c))).collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut out = format!("\n## Cold start\n\n| {} |\n|{}\n", super::COLD_START_HEADER.join(" | "), "---|".repeat(super::COLD_START_HEADER.len()));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// The db-restart scenario per app.
fn db_restart_section(results: &RunResults) -> String {
    let restarts: Vec<_> = results.apps.iter().filter_map(|a| a.db_restart.as_ref().map(|r| (a, r))).collect();
    if restarts.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## Database restart\n\nCheckouts at a steady rate; PostgreSQL restarted mid-phase. Every order the app acknowledged must be in the database with its lines, and stock must have moved by exactly the phase's orders.\n\n| app | checkouts /s | restart at s | restart took s | errors | answered again after | acknowledged | found | unacknowledged commits | lost | stock mismatches | verdict |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (app, r) in &restarts {
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {} of {} | {} | {} | {} | {} | {} | {} | {} |\n",
            app.app,
            r.rps,
            r.restart_at_s,
            r.restart_took_s,
            r.errors,
            r.requests,
            super::recovered_cell(r.recovered_after_s),
            r.acknowledged_orders,
            r.orders_found,
            r.unacknowledged_orders,
            r.lost_orders,
            r.stock_mismatches,
            cell(&super::restart_verdict(r))
        ));
    }
    for (app, r) in &restarts {
        for lost in &r.lost_order_examples {
            out.push_str(&format!("\n- **{}** — order {} acknowledged, {}", app.app, cell(&lost.id), cell(&lost.why)));
        }
        for m in &r.stock_mismatch_examples {
            out.push_str(&format!("\n- **{}** — product {}: stock moved by {}, orders took {}", app.app, m.product_id, m.moved, m.ordered));
        }
    }
    out.push('\n');
    out
}

/// Text made safe for one Markdown table cell: one line, no column separators.
fn cell(text: &str) -> String {
    text.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ⏎ ").replace('|', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{results, row};

    #[test]
    fn a_skipped_app_whose_reason_has_several_lines_keeps_the_table_whole() {
        let mut run = results(vec![("gin", row(100, 3)), ("rails", row(100, 3))]);
        run.apps[1].workloads.clear();
        run.apps[1].status = "skipped".into();
        run.apps[1].skipped_reason = Some("failed to start for measurement: exited\nlast log lines:\n| boom".into());
        let text = String::from_utf8(Markdown.export(&run)).unwrap();
        let line = text.lines().find(|l| l.starts_with("| rails |")).expect("a rails row");
        assert!(line.contains("exited ⏎ last log lines: ⏎ / boom"), "{line}");
        assert!(!text.lines().any(|l| l.starts_with("last log lines")), "{text}");
    }

    #[test]
    fn flagged_rows_are_explained_in_words_under_the_table() {
        let text = String::from_utf8(Markdown.export(&results(vec![("laravel", row(60, 900))]))).unwrap();
        assert!(text.contains("| laravel | search |") && text.contains("| saturated |"), "{text}");
        assert!(text.contains("- **laravel / search** — saturated: the app could not keep up — 40 requests dropped"), "{text}");
    }

    #[test]
    fn a_row_whose_cpus_lost_time_to_the_hypervisor_is_flagged_with_the_share_taken() {
        let mut noisy = row(100, 3);
        let steal = [crate::collect::CpuSteal { cpu: 0, steal_ms: 1_000, share: 0.04 }];
        noisy.host_steal_reason = crate::collect::steal::host_steal(&steal, &[0, 1]);
        let text = String::from_utf8(Markdown.export(&results(vec![("gin", noisy)]))).unwrap();
        assert!(text.contains("| host-steal |"), "{text}");
        assert!(text.contains("- **gin / search** — host-steal: the hypervisor took 4.0 % of CPU 0"), "{text}");
    }
}
