//! The fuzz table (one row per app) and its findings, one line each.

use tabled::builder::Builder;
use tabled::settings::Style;

use crate::fuzz::AppFuzz;

pub fn table(outcomes: &[AppFuzz]) -> String {
    let mut builder = Builder::default();
    builder.push_record(["app", "operations", "test cases", "findings", "errors", "seconds", "verdict"]);
    for app in outcomes {
        let row = match (&app.error, &app.report) {
            (Some(e), _) => {
                vec![app.app.clone(), "-".into(), "-".into(), "-".into(), "-".into(), "-".into(), format!("ERROR: {}", e.lines().next().unwrap_or_default())]
            }
            (None, Some(r)) => vec![
                app.app.clone(),
                r.operations.as_ref().map_or("-".into(), |o| o.tested.to_string()),
                r.test_cases.generated.to_string(),
                r.failures.len().to_string(),
                r.errors.len().to_string(),
                format!("{:.0}", r.running_time),
                if r.passed() { "pass".into() } else { "FAILED".into() },
            ],
            (None, None) => vec![app.app.clone(), "-".into(), "-".into(), "-".into(), "-".into(), "-".into(), "not run".into()],
        };
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!("{table}\n")
}

/// Every finding, naming the app, what failed and where; then where the reproductions are.
pub fn findings(outcomes: &[AppFuzz]) -> String {
    let mut text = String::new();
    for app in outcomes.iter().filter(|a| !a.passed()) {
        if let Some(e) = &app.error {
            text.push_str(&format!("{}: {e}\n", app.app));
        }
        let Some(report) = &app.report else { continue };
        for f in &report.failures {
            text.push_str(&format!("{}: {} ({}×) in {}\n", app.app, f.title, f.count, f.operations.join(", ")));
        }
        for e in &report.errors {
            text.push_str(&format!("{}: error: {} ({}×)\n", app.app, e.title, e.count));
        }
        if report.failures.is_empty() && report.errors.is_empty() && report.exit_code != 0 {
            text.push_str(&format!("{}: schemathesis exited with {}\n", app.app, report.exit_code));
        }
        if let Some(path) = &app.output_file {
            text.push_str(&format!("{}: requests to reproduce each finding (curl): {}\n", app.app, path.display()));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::schemathesis::{FailureGroup, Report, TestCases};

    fn outcome(app: &str, failures: Vec<FailureGroup>) -> AppFuzz {
        let exit_code = if failures.is_empty() { 0 } else { 1 };
        let report =
            Report { exit_code, running_time: 61.4, operations: None, test_cases: TestCases { generated: 1200, unique_failures: 0 }, failures, errors: vec![] };
        AppFuzz { app: app.into(), error: None, report: Some(report), output_file: None }
    }

    #[test]
    fn the_table_has_a_verdict_per_app_and_the_findings_name_app_and_operation() {
        let failure = FailureGroup { title: "Server error".into(), count: 2, operations: vec!["POST /checkout".into()] };
        let outcomes = [outcome("gin", vec![]), outcome("spring", vec![failure])];
        let table = table(&outcomes);
        assert!(table.lines().any(|l| l.contains(" gin ") && l.contains("pass") && l.contains(" 61 ")), "{table}");
        assert!(table.lines().any(|l| l.contains(" spring ") && l.contains("FAILED")), "{table}");
        assert_eq!(findings(&outcomes), "spring: Server error (2×) in POST /checkout\n");
    }
}
