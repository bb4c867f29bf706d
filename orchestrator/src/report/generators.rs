//! The generators of a distributed run (`hosts.load`), one row per steady phase and generator,
//! beside the merged figures: its own lag, CPU and drops, and whether it kept its promises (a
//! phase is generator-limited if any generator was not).

use super::tables::Table;
use crate::collect::RunResults;
use crate::load::GeneratorFigures;

/// One row per app, steady workload and generator; none when this process sent the load.
pub fn table(results: &RunResults) -> Option<Table> {
    let phases: Vec<(&str, &str, &[GeneratorFigures])> = results
        .apps
        .iter()
        .flat_map(|a| a.workloads.iter().map(move |w| (a.app.as_str(), w.workload.name(), w.load.generators.as_slice())))
        .filter(|(_, _, generators)| !generators.is_empty())
        .collect();
    let count = phases.first()?.2.len();
    let rows = phases.iter().flat_map(|(app, workload, generators)| generators.iter().map(move |g| row(app, workload, g))).collect();
    let notes = phases
        .iter()
        .flat_map(|(app, workload, generators)| {
            generators
                .iter()
                .flat_map(move |g| g.generator_limited_reasons.iter().map(move |reason| format!("{app} / {workload}, generator {}: {reason}", g.share)))
        })
        .collect();
    Some(Table {
        title: "Load generators",
        caption: format!(
            "{count} generators on the load hosts shared each phase's schedule from a common start, request j sent by generator j mod {count}; \
             their figures are merged exactly. A phase is generator-limited if any of them was."
        ),
        header: ["app", "workload", "share", "host", "lag p50 µs", "lag p99 µs", "busiest load thread % of a core", "dropped", "kept its send times"]
            .map(String::from)
            .to_vec(),
        rows,
        notes,
    })
}

fn row(app: &str, workload: &str, g: &GeneratorFigures) -> Vec<String> {
    let host = if g.host.is_empty() { "–".to_string() } else { g.host.clone() };
    let kept = if g.generator_limited_reasons.is_empty() { "yes" } else { "NO: generator-limited" };
    vec![
        app.to_string(),
        workload.to_string(),
        g.share.clone(),
        host,
        g.scheduling_lag_p50_us.to_string(),
        g.scheduling_lag_p99_us.to_string(),
        format!("{:.0}", 100.0 * g.busiest_thread_cpu_share),
        g.dropped.to_string(),
        kept.into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{results, row as workload_row};

    #[test]
    fn each_generator_of_each_phase_is_a_row_and_a_limited_one_is_named_in_the_notes() {
        let figures = |index: u32, busy: f64, reasons: Vec<String>| GeneratorFigures {
            share: format!("{index}/2"),
            host: format!("load-{index}"),
            scheduling_lag_p50_us: 80,
            scheduling_lag_p99_us: 400,
            busiest_thread_cpu_share: busy,
            dropped: u64::from(index),
            generator_limited_reasons: reasons,
        };
        let mut run = results(vec![("gin", workload_row(100, 3))]);
        assert!(table(&run).is_none(), "no table when this process sent the load");
        run.apps[0].workloads[0].load.generators = vec![figures(0, 0.2, vec![]), figures(1, 0.95, vec!["a load thread used 95 % of its core".into()])];
        let t = table(&run).unwrap();
        assert_eq!(t.rows[0], ["gin", "search", "0/2", "load-0", "80", "400", "20", "0", "yes"]);
        assert_eq!(t.rows[1][6..], ["95", "1", "NO: generator-limited"]);
        assert_eq!(t.notes, ["gin / search, generator 1/2: a load thread used 95 % of its core"]);
        assert!(crate::report::tables::scenario_tables(&run).iter().any(|t| t.title == "Load generators"), "shown with the scenario tables");
    }
}
