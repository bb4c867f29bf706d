//! The terminal output of `bakeoff change`: the task list, a session's start, each attempt, its
//! finish, and the table of many sessions per app and task.

use std::path::Path;

use tabled::builder::Builder;
use tabled::settings::Style;

use crate::change::session::{Attempt, Session};
use crate::change::{CheckOutcome, Task};

pub fn task_list(tasks: &[Task]) -> String {
    let mut builder = Builder::default();
    builder.push_record(["task", "kind", "checks", "what", "brief"]);
    for t in tasks {
        builder.push_record([t.id.clone(), t.kind.clone(), t.checks.to_string(), t.summary.clone(), t.brief().display().to_string()]);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    format!("{table}\n")
}

pub fn started(session: &Session, dir: &Path, brief: &str) -> String {
    let workspace = session.workspace_in(dir);
    format!(
        "{brief}\n---\nsession {id}: {task} in {app}{who}; the clock started at {at}.\n\
         Your workspace: {ws}\n\
         Change it there (not in apps/), then:\n  \
         bakeoff change check    rebuilds it (timed) and runs the whole suite and the task's checks; as often as you like\n  \
         bakeoff change finish   a last check, the diff, and a short survey\n\
         The session file: {file}\n",
        id = session.session_id,
        task = session.task,
        app = session.app,
        who = session.who.as_deref().map(|w| format!(" by {w}")).unwrap_or_default(),
        at = session.started_at,
        ws = workspace.display(),
        file = dir.join(crate::change::session::SESSION_FILE).display(),
    )
}

/// One attempt: what failed, in words a developer can act on, then the counts.
pub fn attempt(session: &Session, attempt: &Attempt, outcome: &CheckOutcome) -> String {
    let mut text = String::new();
    if let Some(e) = &outcome.build_error {
        text.push_str(&format!("the image did not build:\n{e}\n"));
    }
    if let Some(e) = &outcome.start_error {
        text.push_str(&format!("the app did not become healthy:\n{e}\n"));
    }
    for group in &outcome.groups {
        for f in &group.failures {
            let got = match &f.exchange {
                Some(x) => format!("{} {} → {} {}", x.method, x.path, x.status, x.body.chars().take(200).collect::<String>()),
                None => f.found.chars().take(200).collect(),
            };
            text.push_str(&format!("[{}] {}\n    expected {}\n    got      {got}\n", group.group, f.check, f.expected.chars().take(200).collect::<String>()));
        }
    }
    let verdict = if attempt.green { "GREEN: every check passes" } else { "not yet" };
    text.push_str(&format!(
        "attempt {n} at {at}: rebuild {build:.1} s; base suite {bp}/{bc}; task checks {tp}/{tc} — {verdict}\n",
        n = session.attempts.len(),
        at = minutes(attempt.at_s),
        build = attempt.build_ms as f64 / 1000.0,
        bp = attempt.base_checks - attempt.base_failed,
        bc = attempt.base_checks,
        tp = attempt.task_checks - attempt.task_failed,
        tc = attempt.task_checks,
    ));
    text
}

pub fn finished(session: &Session, dir: &Path) -> String {
    let Some(end) = &session.finish else { return String::new() };
    let green = end.time_to_green_s.map_or("never green".to_string(), |s| format!("green after {}", minutes(s)));
    let survey = end.survey.as_ref().map_or("no survey".to_string(), |s| format!("ease {}/5, confidence {}/5", s.ease, s.confidence));
    format!(
        "session {id} finished after {at}: {green}, {attempts} attempt(s); {files} file(s) touched, +{added} −{removed} lines, {deps}; {survey}\nthe session file: {file}\n",
        id = session.session_id,
        at = minutes(end.at_s),
        attempts = session.attempts.len(),
        files = end.diff.files_touched.len(),
        added = end.diff.lines_added,
        removed = end.diff.lines_removed,
        deps = dependencies(&end.diff),
        file = dir.join(crate::change::session::SESSION_FILE).display(),
    )
}

/// The packages a change added and removed, by name.
fn dependencies(diff: &crate::change::diff::DiffStats) -> String {
    let added = match diff.dependencies_added.as_slice() {
        [] => "no dependency added".to_string(),
        names => format!("dependencies added: {}", names.join(", ")),
    };
    match diff.dependencies_removed.as_slice() {
        [] => added,
        names => format!("{added}; removed: {}", names.join(", ")),
    }
}

/// Per app and task: sessions, median time to green, attempts, diff size, rebuild time (of the
/// builds that succeeded), survey medians, and quotes.
pub fn sessions_table(sessions: &[Session]) -> String {
    if sessions.is_empty() {
        return "No feedback session yet: `bakeoff change start APP TASK` starts one (README: Running a feedback session).\n".to_string();
    }
    let (header, rows) = sessions_rows(sessions);
    format!("{}\n\n{} session(s); {}\n", markdown(header, rows), sessions.len(), SESSIONS_NOTE)
}

/// What the sessions table's times are.
pub const SESSIONS_NOTE: &str = "times from `change start` to the first green `change check`; rebuild is the developer's inner-loop \
    deploy (image build) of each check that built an edited workspace; ease and confidence are survey medians (1–5).";

/// The sessions table's header and rows (one per app and task), for the terminal and report.html.
pub fn sessions_rows(sessions: &[Session]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<&Session>> = Default::default();
    for s in sessions {
        groups.entry((s.app.as_str(), s.task.as_str())).or_default().push(s);
    }
    let header = vec![
        "app",
        "task",
        "sessions",
        "green",
        "time to green (median)",
        "attempts (median)",
        "lines +/− (median)",
        "rebuild s (median)",
        "ease",
        "confidence",
        "quotes",
    ];
    let mut rows = Vec::new();
    for ((app, task), list) in &groups {
        let finished: Vec<_> = list.iter().filter_map(|s| s.finish.as_ref()).collect();
        let green: Vec<f64> = finished.iter().filter_map(|f| f.time_to_green_s).collect();
        let attempts: Vec<f64> = list.iter().map(|s| s.attempts.len() as f64).collect();
        let added: Vec<f64> = finished.iter().map(|f| f.diff.lines_added as f64).collect();
        let removed: Vec<f64> = finished.iter().map(|f| f.diff.lines_removed as f64).collect();
        // A build that failed is no deploy: its time says where it stopped, not how long one takes.
        let rebuild: Vec<f64> =
            list.iter().flat_map(|s| s.attempts.iter().filter(|a| a.built && a.workspace_changed).map(|a| a.build_ms as f64 / 1000.0)).collect();
        let surveys: Vec<_> = finished.iter().filter_map(|f| f.survey.as_ref()).collect();
        let ease: Vec<f64> = surveys.iter().map(|s| s.ease as f64).collect();
        let confidence: Vec<f64> = surveys.iter().map(|s| s.confidence as f64).collect();
        let mut said: Vec<&str> = Vec::new();
        for comment in surveys.iter().map(|s| s.comments.trim()).filter(|c| !c.is_empty()) {
            if !said.contains(&comment) {
                said.push(comment);
            }
        }
        let quotes: Vec<String> = said.iter().take(2).map(|c| format!("“{c}”")).collect();
        rows.push(vec![
            app.to_string(),
            task.to_string(),
            list.len().to_string(),
            format!("{}/{}", green.len(), finished.len()),
            median(&green).map_or("–".into(), minutes),
            median(&attempts).map_or("–".into(), |m| format!("{m}")),
            match (median(&added), median(&removed)) {
                (Some(a), Some(r)) => format!("+{a} −{r}"),
                _ => "–".into(),
            },
            median(&rebuild).map_or("–".into(), |m| format!("{m:.1}")),
            median(&ease).map_or("–".into(), |m| format!("{m}")),
            median(&confidence).map_or("–".into(), |m| format!("{m}")),
            quotes.join(" "),
        ]);
    }
    (header, rows)
}

/// Static figures of the apps no session has touched yet.
pub fn ease_table(figures: &[crate::change::ease::EaseFigures]) -> String {
    if figures.is_empty() {
        return String::new();
    }
    let (header, rows) = ease_rows(figures);
    format!("\n{}\n\n{}\n", markdown(header, rows), ease_notes(figures).join(" "))
}

/// A Markdown table of `header` and `rows`.
fn markdown(header: Vec<&str>, rows: Vec<Vec<String>>) -> String {
    let mut builder = Builder::default();
    builder.push_record(header);
    for row in rows {
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::markdown());
    table.to_string()
}

/// The static figures' header and rows, for the terminal and report.html alike.
pub fn ease_rows(figures: &[crate::change::ease::EaseFigures]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "app (no session yet)",
        "code lines",
        "by language",
        "source files",
        "dependencies direct / all",
        "image MB",
        "full build s",
        "rebuild after a one-line change s",
    ];
    let seconds = |s: Option<f64>| s.map_or("–".into(), |s| format!("{s:.1}"));
    let rows = figures
        .iter()
        .map(|f| {
            let languages: Vec<String> = f.code_lines_by_language.iter().map(|(l, n)| format!("{l} {n}")).collect();
            vec![
                f.app.clone(),
                f.code_lines().to_string(),
                languages.join(", "),
                f.source_files.to_string(),
                format!("{} / {}", f.dependencies_direct, f.dependencies_all),
                f.image_mb.map_or("–".into(), |mb| format!("{mb:.0}")),
                seconds(f.no_cache_build_s),
                seconds(f.incremental_build_s),
            ]
        })
        .collect();
    (header, rows)
}

/// What the static figures are, where their build times come from, and what they do not say.
pub fn ease_notes(figures: &[crate::change::ease::EaseFigures]) -> Vec<String> {
    let mut notes = vec!["Static figures: code lines without comments or blanks (tokei), dependencies from the dependency and lock files \
         (packages from Debian, as Laravel takes its framework, are not counted). They say how much there is to read and keep up, not how easy \
         a change is: only sessions measure that."
        .to_string()];
    let mut sources: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for f in figures {
        sources.entry(f.builds_from.as_deref().unwrap_or("")).or_default().push(&f.app);
    }
    for (from, apps) in sources {
        notes.push(match from {
            "" => format!(
                "No build times yet for {}: `bakeoff run --scenario deploy APP` measures them (or `bakeoff change report --measure-builds`).",
                apps.join(", ")
            ),
            "measured now" => format!("Build times of {} measured now, on this machine.", apps.join(", ")),
            run => format!("Build times of {} from run {run} (its deploy scenario).", apps.join(", ")),
        });
    }
    notes
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

fn minutes(seconds: f64) -> String {
    format!("{}:{:02} min", (seconds / 60.0) as u64, (seconds % 60.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished_session(added: &[&str], removed: &[&str]) -> Session {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        let diff = crate::change::diff::DiffStats {
            files_touched: vec!["package.json".into(), "package-lock.json".into(), "src/app.js".into()],
            lines_added: 26,
            lines_removed: 4,
            dependencies_added: names(added),
            dependencies_removed: names(removed),
        };
        let finish = crate::change::session::Finish { at_s: 163.0, time_to_green_s: None, green: false, diff, survey: None };
        Session {
            schema_version: 1,
            session_id: "fd2ceb7e".into(),
            app: "express".into(),
            task: "order-history".into(),
            who: None,
            started_at: "2026-12-07T14:40:00Z".into(),
            workspace: "express".into(),
            attempts: Vec::new(),
            finish: Some(finish),
        }
    }

    #[test]
    fn the_finish_line_names_the_dependencies_added_and_removed() {
        let text = finished(&finished_session(&["validator"], &[]), Path::new("results/feedback/fd2ceb7e"));
        assert!(text.contains("+26 −4 lines, dependencies added: validator;"), "{text}");
        let text = finished(&finished_session(&["@hono/zod-validator", "zod"], &["asyncpg"]), Path::new("x"));
        assert!(text.contains("dependencies added: @hono/zod-validator, zod; removed: asyncpg;"), "{text}");
        let text = finished(&finished_session(&[], &[]), Path::new("x"));
        assert!(text.contains("+26 −4 lines, no dependency added;"), "{text}");
    }

    fn attempt(build_ms: u64, built: bool) -> Attempt {
        Attempt {
            at_s: 60.0,
            build_ms,
            built,
            started: built,
            base_checks: if built { 394 } else { 0 },
            base_failed: 0,
            task_checks: if built { 37 } else { 0 },
            task_failed: if built { 27 } else { 0 },
            green: false,
            failing: Vec::new(),
            workspace_changed: true,
            workspace_sha256: String::new(),
        }
    }

    #[test]
    fn the_median_rebuild_leaves_out_builds_that_failed() {
        let mut session = finished_session(&["validator"], &[]);
        session.attempts = vec![attempt(44_400, true), attempt(1_000, false), attempt(1_000, false), attempt(24_500, true)];
        let table = sessions_table(&[session]);
        let row = table.lines().find(|l| l.contains("express")).unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[8], "34.5", "the median of 44.4 s and 24.5 s: {row}");
    }

    #[test]
    fn the_median_rebuild_leaves_out_checks_of_an_unchanged_workspace() {
        let mut session = finished_session(&["commons-lang3"], &[]);
        let unchanged = |ms| Attempt { workspace_changed: false, ..attempt(ms, true) };
        session.attempts = vec![unchanged(400), attempt(51_300, true), unchanged(400)];
        let table = sessions_table(&[session]);
        let row = table.lines().find(|l| l.contains("express")).unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[8], "51.3", "a cache hit is not a rebuild: {row}");
    }

    #[test]
    fn the_same_quote_from_several_sessions_is_shown_once() {
        let with_quote = |comments: &str| {
            let mut session = finished_session(&[], &[]);
            let survey =
                crate::change::survey::Survey { ease: 3, confidence: 2, helped: String::new(), got_in_the_way: String::new(), comments: comments.into() };
            session.finish.as_mut().unwrap().survey = Some(survey);
            session
        };
        let sessions = [with_quote("a partial change"), with_quote("the lock was confusing"), with_quote("a partial change")];
        let table = sessions_table(&sessions);
        let row = table.lines().find(|l| l.contains("express")).unwrap();
        assert_eq!(row.matches("a partial change").count(), 1, "{row}");
        assert!(row.contains("the lock was confusing"), "{row}");
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(minutes(754.0), "12:34 min");
    }
}
