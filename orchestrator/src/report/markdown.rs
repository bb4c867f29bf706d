//! `summary.md`: the run for people — placement, environment and a table per workload.

use super::tables::{scenario_tables, Table};
use super::{flag_reasons, flags, ms, Exporter, FLAG_LEGEND};
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
        out.push_str(&steady_rates(results));
        scenario_tables(results).iter().for_each(|t| out.push_str(&section(t)));
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

/// How the steady rates followed from the capacities.
fn steady_rates(results: &RunResults) -> String {
    if results.steady_rates.is_empty() {
        return String::new();
    }
    let rates: Vec<String> = results.steady_rates.iter().map(|(k, r)| format!("{} {}/s — {}", k.name(), r.rps, r.why)).collect();
    format!("\nSteady rates (the table above): {}\n", rates.join("; "))
}

/// A scenario table as a Markdown section, its notes as a list under it.
fn section(t: &Table) -> String {
    let mut out = format!("\n## {}\n\n{}\n\n| {} |\n|{}\n", t.title, t.caption, t.header.join(" | "), "---|".repeat(t.header.len()));
    for row in &t.rows {
        out.push_str(&format!("| {} |\n", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    for note in &t.notes {
        out.push_str(&format!("\n- {}", cell(note)));
    }
    if !t.notes.is_empty() {
        out.push('\n');
    }
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
