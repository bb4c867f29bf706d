//! `bakeoff compare`'s output: a table for the terminal and `compare.html` in report.html's style.

use minijinja::{context, Environment};
use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::Style;

use crate::collect::spread::Spread;
use crate::collect::RunResults;
use crate::compare::Row;

const TEMPLATE: &str = include_str!("compare.j2");

/// A row in words.
#[derive(Serialize)]
struct Cells {
    app: String,
    workload: &'static str,
    figure: String,
    values: Vec<String>,
    change: String,
    verdict: String,
    regression: bool,
}

fn cells(row: &Row, threshold: Option<f64>) -> Cells {
    let ms = row.metric.ends_with("_us");
    let value = |s: &Option<Spread>| match s {
        None => "–".to_string(),
        Some(s) if s.n < 2 => unit(s.median, ms),
        Some(s) => format!("{} [{} – {}]", unit(s.median, ms), unit(s.ci95_low, ms), unit(s.ci95_high, ms)),
    };
    let regression = threshold.is_some_and(|pct| !crate::compare::regressions(std::slice::from_ref(row), pct).is_empty());
    Cells {
        app: row.app.clone(),
        workload: row.workload.name(),
        figure: row.metric.trim_end_matches("_us").trim_end_matches("_rps").to_string(),
        values: row.values.iter().map(value).collect(),
        change: row.change_pct.map_or("–".into(), |c| format!("{c:+.1} %{}", if row.worse { " worse" } else { "" })),
        verdict: row.verdict.clone(),
        regression,
    }
}

fn unit(v: f64, ms: bool) -> String {
    if ms {
        format!("{:.1} ms", v / 1000.0)
    } else {
        format!("{v:.1}/s")
    }
}

/// The comparison for the terminal.
pub fn table(runs: &[RunResults], rows: &[Row], threshold: Option<f64>) -> String {
    let mut builder = Builder::default();
    let mut header = vec!["app".to_string(), "workload".into(), "figure".into()];
    header.extend(runs.iter().map(|r| r.run_id.clone()));
    header.extend(["change".into(), "noise".into(), String::new()]);
    builder.push_record(header);
    for row in rows {
        let c = cells(row, threshold);
        let mut record = vec![c.app, c.workload.to_string(), c.figure];
        record.extend(c.values);
        record.extend([c.change, c.verdict, if c.regression { "REGRESSION".into() } else { String::new() }]);
        builder.push_record(record);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!("{table}\nmedians [95 % interval] over each run's repetitions; change: last run against the first\n")
}

/// `compare.html`.
pub fn html(runs: &[RunResults], rows: &[Row], threshold: Option<f64>) -> Result<String, String> {
    let mut env = Environment::new();
    env.add_template("compare.html", TEMPLATE).map_err(|e| e.to_string())?;
    let data = serde_json::to_string(rows).map_err(|e| e.to_string())?.replace("</", "<\\/");
    let heads: Vec<_> =
        runs.iter().map(|r| serde_json::json!({"run_id": r.run_id, "started_at": r.started_at, "repeat": r.repeat, "quick": r.quick})).collect();
    let cells: Vec<Cells> = rows.iter().map(|r| cells(r, threshold)).collect();
    env.get_template("compare.html")
        .and_then(|t| t.render(context! { style => super::html::STYLE, runs => heads, rows => cells, threshold => threshold, data_json => data }))
        .map_err(|e| format!("rendering compare.html: {e}"))
}
