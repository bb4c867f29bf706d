//! A developer-feedback session: one developer, one app, one change task. Its state is
//! `results/feedback/<session-id>/session.json`, written after every step, so Ctrl-C or a crash
//! keeps whatever was recorded. The workspace is a copy of the app's folder beside it (outside
//! `apps/`), and a second, untouched copy is the baseline the diff is taken against.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CheckOutcome, Task};
use crate::images::apps::AppManifest;

/// The version of `session.json`'s shape.
pub const SESSION_SCHEMA_VERSION: u32 = 1;
/// The file of a session's state.
pub const SESSION_FILE: &str = "session.json";
/// The untouched copy of the app, inside the session folder.
const BASELINE: &str = "baseline";
/// How many failing checks an attempt keeps by name.
const KEPT_FAILURES: usize = 20;

/// One session, as recorded so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub schema_version: u32,
    pub session_id: String,
    pub app: String,
    pub task: String,
    /// The developer, as given with `--who` (or absent).
    pub who: Option<String>,
    /// When the clock started (RFC 3339, UTC).
    pub started_at: String,
    /// The developer's copy of the app (relative to the session folder).
    pub workspace: PathBuf,
    /// Every `bakeoff change check`, in order.
    pub attempts: Vec<Attempt>,
    /// Set by `bakeoff change finish`.
    pub finish: Option<Finish>,
}

/// One check of the workspace: the rebuild (the developer's inner-loop deploy) and the checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attempt {
    /// Seconds from the session's start to the end of this check.
    pub at_s: f64,
    /// Wall time of the image build, failed or not.
    pub build_ms: u64,
    pub built: bool,
    /// The built app became healthy.
    pub started: bool,
    /// Checks of the base suite (every verify group) run and failed.
    pub base_checks: u32,
    pub base_failed: u32,
    /// Checks of the task's own group run and failed.
    pub task_checks: u32,
    pub task_failed: u32,
    /// Built, started and every check passed.
    pub green: bool,
    /// The first failing checks, as `group: check`.
    pub failing: Vec<String>,
    /// The workspace differed from what the previous check built (the first check: from the
    /// untouched copy); false means the rebuild was a cache hit, not the inner loop's deploy.
    #[serde(default = "changed_unless_known")]
    pub workspace_changed: bool,
    /// SHA-256 of the workspace's build context when it was checked.
    #[serde(default)]
    pub workspace_sha256: String,
}

/// Session files written before the workspace was fingerprinted count every check as a change.
fn changed_unless_known() -> bool {
    true
}

/// The end of a session: the last check, the size of the change, and what the developer thought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finish {
    /// Seconds from the start to the finish.
    pub at_s: f64,
    /// Seconds from the start to the first green check (absent when never green).
    pub time_to_green_s: Option<f64>,
    /// The last check was green.
    pub green: bool,
    pub diff: super::diff::DiffStats,
    /// Absent when the developer left the survey (Ctrl-C) or skipped it.
    pub survey: Option<super::survey::Survey>,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the session {path}: {message}\n  name a folder under results/feedback/ that holds a session.json")]
    Read { path: PathBuf, message: String },
    #[error("no session is open under {0}\n  start one with `bakeoff change start APP TASK`, or name the session's folder")]
    NoneOpen(PathBuf),
    #[error("the session {0} is finished already; start another with `bakeoff change start APP TASK`")]
    Finished(String),
}

impl Session {
    /// Starts a session: copies the app's folder twice (workspace and baseline) into
    /// `feedback_dir/<session-id>/` and starts the clock.
    pub fn start(feedback_dir: &Path, app: &AppManifest, task: &Task, who: Option<String>) -> Result<(Session, PathBuf), SessionError> {
        let session_id = crate::session::new_run_id();
        let dir = feedback_dir.join(&session_id);
        copy_tree(&app.dir, &dir.join(BASELINE))?;
        copy_tree(&app.dir, &dir.join(&app.id))?;
        let session = Session {
            schema_version: SESSION_SCHEMA_VERSION,
            session_id,
            app: app.id.clone(),
            task: task.id.clone(),
            who,
            started_at: jiff::Timestamp::now().to_string(),
            workspace: PathBuf::from(&app.id),
            attempts: Vec::new(),
            finish: None,
        };
        session.save(&dir)?;
        Ok((session, dir))
    }

    /// Reads the session in `dir`.
    pub fn load(dir: &Path) -> Result<Session, SessionError> {
        let path = dir.join(SESSION_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| SessionError::Read { path: path.clone(), message: e.to_string() })?;
        serde_json::from_str(&text).map_err(|e| SessionError::Read { path, message: e.to_string() })
    }

    /// Writes `session.json` whole or not at all (a temporary file renamed over it).
    pub fn save(&self, dir: &Path) -> Result<(), SessionError> {
        let write = |path: &Path, source| SessionError::Write { path: path.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(|e| write(dir, e))?;
        let path = dir.join(SESSION_FILE);
        let temporary = dir.join(format!(".{SESSION_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).expect("a session serialises") + "\n";
        std::fs::write(&temporary, text).map_err(|e| write(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| write(&path, e))
    }

    /// Seconds since the clock started.
    pub fn elapsed_s(&self) -> f64 {
        let started: jiff::Timestamp = self.started_at.parse().unwrap_or_else(|_| jiff::Timestamp::now());
        (jiff::Timestamp::now().as_millisecond() - started.as_millisecond()) as f64 / 1000.0
    }

    /// Adds a check's outcome as the next attempt.
    /// Records one check of the workspace whose build context hashes to `workspace_sha256`
    /// (`baseline_sha256`: the untouched copy's, for the first check).
    pub fn record(&mut self, outcome: &CheckOutcome, task: &Task, workspace_sha256: String, baseline_sha256: &str) -> &Attempt {
        let before = self.attempts.last().map_or(baseline_sha256, |a| a.workspace_sha256.as_str());
        let workspace_changed = before != workspace_sha256;
        let (mut base, mut own) = ((0, 0), (0, 0));
        let mut failing = Vec::new();
        for group in &outcome.groups {
            let counts = if group.group == task.id { &mut own } else { &mut base };
            counts.0 += group.checks;
            counts.1 += group.failures.len() as u32;
            failing.extend(group.failures.iter().map(|f| format!("{}: {}", group.group, f.check)));
        }
        failing.truncate(KEPT_FAILURES);
        self.attempts.push(Attempt {
            at_s: self.elapsed_s(),
            build_ms: outcome.build_ms,
            built: outcome.build_error.is_none(),
            started: outcome.build_error.is_none() && outcome.start_error.is_none(),
            base_checks: base.0,
            base_failed: base.1,
            task_checks: own.0,
            task_failed: own.1,
            green: outcome.passed(),
            failing,
            workspace_changed,
            workspace_sha256,
        });
        self.attempts.last().expect("just pushed")
    }

    /// Seconds to the first green attempt.
    pub fn time_to_green_s(&self) -> Option<f64> {
        self.attempts.iter().find(|a| a.green).map(|a| a.at_s)
    }

    /// The workspace's folder.
    pub fn workspace_in(&self, dir: &Path) -> PathBuf {
        dir.join(&self.workspace)
    }

    /// The baseline's folder.
    pub fn baseline_in(dir: &Path) -> PathBuf {
        dir.join(BASELINE)
    }
}

/// The session folder to use: `named`, or the newest unfinished session under `feedback_dir`.
pub fn open(feedback_dir: &Path, named: Option<&Path>) -> Result<(Session, PathBuf), SessionError> {
    let dir = match named {
        Some(dir) if dir.join(SESSION_FILE).is_file() => dir.to_path_buf(),
        Some(id) => feedback_dir.join(id),
        None => newest_open(feedback_dir)?,
    };
    let session = Session::load(&dir)?;
    if session.finish.is_some() {
        return Err(SessionError::Finished(session.session_id));
    }
    Ok((session, dir))
}

fn newest_open(feedback_dir: &Path) -> Result<PathBuf, SessionError> {
    let entries = std::fs::read_dir(feedback_dir).map_err(|_| SessionError::NoneOpen(feedback_dir.to_path_buf()))?;
    let mut open: Vec<(String, PathBuf)> =
        entries.flatten().map(|e| e.path()).filter_map(|dir| Session::load(&dir).ok().filter(|s| s.finish.is_none()).map(|s| (s.started_at, dir))).collect();
    open.sort();
    open.pop().map(|(_, dir)| dir).ok_or_else(|| SessionError::NoneOpen(feedback_dir.to_path_buf()))
}

/// Copies an app folder (without local dependency and build folders) to `to`.
fn copy_tree(from: &Path, to: &Path) -> Result<(), SessionError> {
    let failed = |source| SessionError::Write { path: to.to_path_buf(), source };
    for relative in crate::images::apps::context_files(from).map_err(failed)? {
        let target = to.join(&relative);
        std::fs::create_dir_all(target.parent().expect("inside the copy")).map_err(failed)?;
        std::fs::copy(from.join(&relative), &target).map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app_in(root: &Path) -> AppManifest {
        let apps = crate::images::apps::discover(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps")).unwrap();
        let mut app = apps.into_iter().find(|a| a.id == "gin").unwrap();
        let _ = root;
        app.tag = None;
        app
    }

    fn task() -> Task {
        crate::change::task(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../apps/contract"), "order-history").unwrap()
    }

    #[test]
    fn a_started_session_has_a_workspace_a_baseline_and_a_saved_file_that_reads_back() {
        let feedback = tempfile::tempdir().unwrap();
        let (session, dir) = Session::start(feedback.path(), &app_in(feedback.path()), &task(), Some("ana".into())).unwrap();
        assert!(session.workspace_in(&dir).join("main.go").is_file());
        assert!(Session::baseline_in(&dir).join("main.go").is_file());
        assert_eq!(Session::load(&dir).unwrap(), session);
        let (opened, _) = open(feedback.path(), None).unwrap();
        assert_eq!(opened.session_id, session.session_id, "the newest open session is the default");
    }

    #[test]
    fn a_finished_session_is_not_opened_again() {
        let feedback = tempfile::tempdir().unwrap();
        let (mut session, dir) = Session::start(feedback.path(), &app_in(feedback.path()), &task(), None).unwrap();
        session.finish = Some(Finish { at_s: 1.0, time_to_green_s: None, green: false, diff: Default::default(), survey: None });
        session.save(&dir).unwrap();
        assert!(matches!(open(feedback.path(), Some(&dir)), Err(SessionError::Finished(_))));
        assert!(matches!(open(feedback.path(), None), Err(SessionError::NoneOpen(_))));
    }

    #[test]
    fn a_check_of_what_the_previous_check_built_is_marked_unchanged() {
        let feedback = tempfile::tempdir().unwrap();
        let task = task();
        let (mut session, _) = Session::start(feedback.path(), &app_in(feedback.path()), &task, None).unwrap();
        let outcome = CheckOutcome { build_ms: 300, build_error: None, start_error: None, groups: vec![] };
        let changed = |s: &mut Session, sha: &str| s.record(&outcome, &task, sha.into(), "untouched").workspace_changed;
        assert!(!changed(&mut session, "untouched"), "the untouched workspace, checked first");
        assert!(changed(&mut session, "edited"));
        assert!(!changed(&mut session, "edited"), "checked again without an edit");
        assert!(changed(&mut session, "untouched"), "an edit undone is a change too");
    }

    #[test]
    fn an_attempt_counts_the_tasks_group_apart_from_the_base_suite() {
        let feedback = tempfile::tempdir().unwrap();
        let task = task();
        let (mut session, _) = Session::start(feedback.path(), &app_in(feedback.path()), &task, None).unwrap();
        let mut base = crate::verify::GroupOutcome::new("search");
        base.check_value("a", true, "", "");
        let mut own = crate::verify::GroupOutcome::new("order-history");
        own.check_value("lists newest first", false, "newest first", "oldest first");
        own.check_value("b", true, "", "");
        let outcome = CheckOutcome { build_ms: 1200, build_error: None, start_error: None, groups: vec![base, own] };
        let attempt = session.record(&outcome, &task, "w1".into(), "b").clone();
        assert_eq!((attempt.base_checks, attempt.base_failed, attempt.task_checks, attempt.task_failed), (1, 0, 2, 1));
        assert_eq!(attempt.failing, vec!["order-history: lists newest first"]);
        assert!(!attempt.green && attempt.built && attempt.started);
        assert_eq!(session.time_to_green_s(), None);
    }
}
