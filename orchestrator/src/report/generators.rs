//! The generators of a distributed run, one row each, beside the merged figures: its own lag,
//! CPU and drops, and whether it kept its promises (a run is generator-limited if any did not).

use super::tables::Table;
use crate::load::merge::GeneratorView;

/// One row per generator, by share.
pub fn table(generators: &[GeneratorView]) -> Table {
    let rows = generators.iter().map(row).collect();
    let notes = generators.iter().flat_map(|g| g.generator_limited_reasons.iter().map(move |reason| format!("generator {}: {reason}", g.share))).collect();
    Table {
        title: "Load generators",
        caption: format!(
            "{n} generators shared one schedule from a common start, request j sent by generator j mod {n}; their figures are merged exactly.",
            n = generators.len()
        ),
        header: ["share", "host", "lag p50 µs", "lag p99 µs", "busiest load thread % of a core", "dropped", "kept its send times"].map(String::from).to_vec(),
        rows,
        notes,
    }
}

fn row(g: &GeneratorView) -> Vec<String> {
    let busiest = g.threads.iter().map(|t| t.cpu_share()).fold(0.0, f64::max);
    let host = if g.host.is_empty() { "–".to_string() } else { g.host.clone() };
    let kept = if g.generator_limited_reasons.is_empty() { "yes" } else { "NO: generator-limited" };
    vec![
        g.share.to_string(),
        host,
        g.scheduling_lag.p50_us.to_string(),
        g.scheduling_lag.p99_us.to_string(),
        format!("{:.0}", 100.0 * busiest),
        g.dropped.to_string(),
        kept.into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::share::Share;
    use crate::load::{Percentiles, ThreadUse};

    #[test]
    fn each_generator_is_a_row_and_a_limited_one_is_named_in_the_notes() {
        let view = |index, busy_us, reasons: Vec<String>| GeneratorView {
            share: Share::new(index, 2).unwrap(),
            host: format!("load-{index}"),
            scheduling_lag: Percentiles { p50_us: 80, p99_us: 400, ..Percentiles::default() },
            threads: vec![ThreadUse { cpu_time_us: busy_us, wall_time_us: 1_000_000, ..ThreadUse::default() }],
            dropped: u64::from(index),
            generator_limited_reasons: reasons,
        };
        let t = table(&[view(0, 200_000, vec![]), view(1, 950_000, vec!["a load thread used 95 % of its core".into()])]);
        assert_eq!(t.rows[0], ["0/2", "load-0", "80", "400", "20", "0", "yes"]);
        assert_eq!(t.rows[1][4..], ["95", "1", "NO: generator-limited"]);
        assert_eq!(t.notes, ["generator 1/2: a load thread used 95 % of its core"]);
    }
}
