//! The doctor's table.

use tabled::settings::Style;
use tabled::{Table, Tabled};

use crate::doctor::{DoctorReport, Status};

#[derive(Tabled)]
struct Row<'a> {
    check: &'a str,
    status: &'static str,
    found: &'a str,
    #[tabled(rename = "what to do")]
    fix: &'a str,
}

/// The report as a table with a closing verdict line.
pub fn table(report: &DoctorReport) -> String {
    let rows = report.checks.iter().map(|c| Row {
        check: &c.name,
        status: match c.status {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        },
        found: &c.detail,
        fix: &c.fix,
    });
    let mut table = Table::new(rows);
    table.with(Style::sharp());
    let verdict = if report.can_run() { "a bake-off can run here" } else { "a bake-off cannot run here until the FAIL lines are fixed" };
    format!("{table}\n{verdict}\n")
}
