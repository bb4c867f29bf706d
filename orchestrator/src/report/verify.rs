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

/// What each group checks and where the contract says it, for a newcomer's checklist.
const GUIDE: &[(&str, &str)] = &[
    ("setup", "app.yaml finished, the Dockerfile conventions, the README's sections (apps/README.md)"),
    ("basics", "GET /health, routing, 404 and 405 with Allow, content types, the product page (RULES.md §1–2)"),
    ("search", "GET /products/search against the canonical SQL: parameters, ranking, paging, errors (RULES.md §3)"),
    ("carts", "creating carts, adding lines, merging quantities, limits (RULES.md §4)"),
    ("checkout", "POST /checkout: totals, tax rounded half up, stock, the order read back, refusals (RULES.md §5–6)"),
    ("concurrency", "no oversell under 200 concurrent checkouts; idempotency keys repeated and raced (RULES.md §5)"),
    ("hostile input", "oversized, deep and malformed bodies, odd methods: the documented 4xx, never a 5xx (RULES.md §1–2)"),
    ("runtime", "SIGTERM stops the app cleanly within 10 s (RULES.md §7)"),
    ("observability", "JSON access log, X-Request-Id, /metrics families the manifest maps, WORKERS=2 aggregated (RULES.md §8)"),
];

/// For each app that did not pass: every group with what it still lacks, in order — a checklist
/// for someone adding a framework.
pub fn still_missing(outcome: &VerifyOutcome) -> String {
    let mut text = String::new();
    for app in outcome.apps.iter().filter(|a| !a.passed()) {
        text.push_str(&format!("\nwhat {} still lacks, group by group:\n", app.app));
        for (group, what) in GUIDE {
            let line = match app.groups.iter().find(|g| g.group == *group) {
                Some(g) if g.passed() => format!("done ({} checks)", g.checks),
                Some(g) => format!("{} of {} checks fail (listed above): {}", g.failures.len(), g.checks, first_failure(g)),
                None => format!("not checked yet: {what}"),
            };
            text.push_str(&format!("  {group:<14} {line}\n"));
        }
        if let Some(error) = &app.error {
            text.push_str(&format!("  stopped at: {}\n", error.lines().next().unwrap_or_default()));
        }
    }
    text
}

fn first_failure(group: &crate::verify::GroupOutcome) -> String {
    group.failures.first().map(|f| f.check.clone()).unwrap_or_default()
}

/// One line per unfinished app folder, saying it was left out and how to see what is missing.
pub fn unfinished_note(unfinished: &[crate::images::apps::Unfinished]) -> String {
    unfinished
        .iter()
        .map(|u| {
            format!(
                "left out {}: its app.yaml is not finished ({} to fill in); `bakeoff verify {}` says what is missing\n",
                u.dir.display(),
                u.problems.len(),
                u.id
            )
        })
        .collect()
}
