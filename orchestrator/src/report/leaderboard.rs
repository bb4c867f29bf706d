//! The leaderboard printed at the end of a run: one table per workload, fastest p99 first.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::ms;
use crate::collect::RunResults;

pub fn leaderboard(results: &RunResults) -> String {
    let mut out = String::new();
    let mut kinds: Vec<_> = results.apps.iter().flat_map(|a| a.workloads.iter().map(|w| w.workload)).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mut rows: Vec<_> = results.apps.iter().filter_map(|a| a.workloads.iter().find(|w| w.workload == kind).map(|w| (a, w))).collect();
        rows.sort_by_key(|(_, w)| (w.load.generator_limited, w.load.response_time.p99_us));
        let mut builder = Builder::default();
        builder.push_record(["app", "rate (got/asked)", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "CPU cores", "peak MiB", "flags"]);
        for (app, w) in rows {
            let (l, r) = (&w.load, &w.load.response_time);
            let flags = if l.generator_limited { format!("GENERATOR-LIMITED: {}", l.generator_limited_reasons.join("; ")) } else { String::new() };
            builder.push_record([
                app.app.clone(),
                format!("{:.0}/{:.0}", l.achieved_rps, l.target_rps.unwrap_or(0.0)),
                ms(r.p50_us),
                ms(r.p95_us),
                ms(r.p99_us),
                ms(r.p999_us),
                ms(r.max_us),
                format!("{:.2}%", l.error_rate * 100.0),
                format!("{:.2}", w.app_resources.cpu_cores_mean),
                format!("{:.0}", w.app_resources.memory_peak_bytes as f64 / (1 << 20) as f64),
                flags,
            ]);
        }
        let mut table = builder.build();
        table.with(Style::sharp());
        out.push_str(&format!("\n{} workload\n{table}\n", kind.name()));
    }
    for app in results.apps.iter().filter(|a| a.status != "measured") {
        out.push_str(&format!("skipped {}: {}\n", app.app, app.skipped_reason.as_deref().unwrap_or("")));
    }
    out
}
