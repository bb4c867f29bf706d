//! The verify pass/fail matrix: one row per app, one column per check group.

use tabled::builder::Builder;
use tabled::settings::Style;

use crate::verify::suite::GROUPS;
use crate::verify::VerifyOutcome;

pub fn matrix(outcome: &VerifyOutcome) -> String {
    let mut builder = Builder::default();
    let mut header = vec!["app".to_string()];
    header.extend(GROUPS.iter().map(|g| g.to_string()));
    header.push("verdict".into());
    builder.push_record(header);
    for app in &outcome.apps {
        let mut row = vec![app.app.clone()];
        for group in GROUPS {
            let cell = match app.groups.iter().find(|g| g.group == *group) {
                Some(g) if g.passed() => format!("pass ({})", g.checks),
                Some(g) => format!("FAIL {}/{}", g.failures.len(), g.checks),
                None => "-".into(),
            };
            row.push(cell);
        }
        row.push(match (&app.error, app.passed()) {
            (Some(e), _) => format!("ERROR: {}", e.lines().next().unwrap_or_default()),
            (None, true) => "verified".into(),
            (None, false) => "FAILED".into(),
        });
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!("{table}\n")
}

/// The failures, one line each, for the terminal.
pub fn failures(outcome: &VerifyOutcome) -> String {
    let mut text = String::new();
    for app in outcome.apps.iter().filter(|a| !a.passed()) {
        for group in &app.groups {
            for f in &group.failures {
                let got = match &f.exchange {
                    Some(x) => format!("{} {}", x.status, x.body.chars().take(160).collect::<String>()),
                    None => f.found.clone(),
                };
                let expected: String = f.expected.chars().take(160).collect();
                text.push_str(&format!("{} / {}: {}\n    expected {expected}\n    got      {got}\n", app.app, group.group, f.check));
            }
        }
    }
    text
}
