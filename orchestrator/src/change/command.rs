//! `bakeoff change …`: the session commands, wired from the library's parts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::session::{self, Finish, Session};
use super::survey::{Survey, SurveyError};
use super::{check, diff, task, tasks, Task};
use crate::cli::ChangeCommand;
use crate::config::Config;
use crate::docker::Engine;
use crate::report;
use crate::session::{guarded, new_run_id, Ending};

pub async fn run(config: Config, command: ChangeCommand) -> Result<ExitCode> {
    let contract = config.paths.apps_dir.join("contract");
    let feedback = feedback_dir(&config);
    match command {
        ChangeCommand::List => {
            print!("{}", report::change::task_list(&tasks(&contract)?));
            Ok(ExitCode::SUCCESS)
        }
        ChangeCommand::Start { app, task: id, who } => {
            let task = task(&contract, &id)?;
            let app = crate::images::apps::find(&config.paths.apps_dir)?.select(std::slice::from_ref(&app))?.ready_only()?.remove(0);
            let (session, dir) = Session::start(&feedback, &app, &task, who)?;
            let brief = std::fs::read_to_string(task.brief()).with_context(|| format!("reading {}", task.brief().display()))?;
            print!("{}", report::change::started(&session, &dir, &brief));
            Ok(ExitCode::SUCCESS)
        }
        ChangeCommand::Check { session } => {
            let (mut session, dir) = session::open(&feedback, session.as_deref())?;
            let task = task(&contract, &session.task)?;
            let green = check_once(&config, &mut session, &dir, &task).await?;
            Ok(exit(green))
        }
        ChangeCommand::Finish { session, answers, no_check } => {
            let (session, dir) = session::open(&feedback, session.as_deref())?;
            finish(&config, session, &dir, &contract, answers.as_deref(), no_check).await
        }
        ChangeCommand::Report { dirs, measure_builds } => {
            // The default folder is empty until the first session; a folder named by hand must exist.
            let sessions = match dirs.is_empty() {
                true if !feedback.is_dir() => Vec::new(),
                true => gather(&[feedback])?,
                false => gather(&dirs)?,
            };
            print!("{}", report::change::sessions_table(&sessions));
            let figures = static_figures(&config, &sessions, measure_builds).await?;
            print!("{}", report::change::ease_table(&figures));
            Ok(ExitCode::SUCCESS)
        }
        ChangeCommand::Schema => {
            print!("{}", session_schema_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `results/feedback/`.
pub fn feedback_dir(config: &Config) -> PathBuf {
    config.paths.results_dir.join("feedback")
}

/// The JSON Schema of session.json, as committed in results/session.schema.json.
pub fn session_schema_text() -> String {
    let schema = crate::collect::schema::closed_schema::<Session>("bakeoff feedback session (session.json)");
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

fn exit(green: bool) -> ExitCode {
    if green {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One check of the workspace, recorded in the session file; true when green. Ctrl-C removes what
/// the check started and keeps the earlier attempts.
async fn check_once(config: &Config, session: &mut Session, dir: &Path, task: &Task) -> Result<bool> {
    let engine = Engine::connect(&config.docker.host, &new_run_id()).await?;
    let tag = format!("bakeoff/{}:change-{}", session.app, session.session_id);
    let workspace = session.workspace_in(dir);
    // What this check builds, to tell a real rebuild from a cache hit.
    let fingerprint = diff::fingerprint(&workspace).with_context(|| format!("reading the workspace {}", workspace.display()))?;
    let baseline = diff::fingerprint(&Session::baseline_in(dir)).with_context(|| format!("reading the untouched copy in {}", dir.display()))?;
    match guarded(&engine, false, async { Ok(check(&engine, config, &workspace, task, &tag).await?) }).await {
        Ending::Finished(Ok(outcome)) => {
            let attempt = session.record(&outcome, task, fingerprint, &baseline).clone();
            session.save(dir)?;
            print!("{}", report::change::attempt(session, &attempt, &outcome));
            Ok(attempt.green)
        }
        Ending::Finished(Err(e)) => Err(e),
        Ending::Interrupted => {
            eprintln!("the check was interrupted; the session keeps its {} earlier attempt(s)", session.attempts.len());
            std::process::exit(crate::session::INTERRUPTED_EXIT_CODE.into())
        }
    }
}

async fn finish(config: &Config, mut session: Session, dir: &Path, contract: &Path, answers: Option<&Path>, no_check: bool) -> Result<ExitCode> {
    if !no_check {
        let task = task(contract, &session.task)?;
        check_once(config, &mut session, dir, &task).await?;
    }
    let stats = diff::diff(&Session::baseline_in(dir), &session.workspace_in(dir)).context("comparing the workspace with its baseline")?;
    let green = session.attempts.last().is_some_and(|a| a.green);
    let mut end = Finish { at_s: session.elapsed_s(), time_to_green_s: session.time_to_green_s(), green, diff: stats, survey: None };
    session.finish = Some(end.clone());
    session.save(dir)?;
    end.survey = match answers {
        Some(file) => Some(Survey::from_file(file)?),
        None => match Survey::ask() {
            Ok(survey) => Some(survey),
            Err(left @ SurveyError::Left(_)) => {
                eprintln!("{left}");
                None
            }
            Err(e) => return Err(e.into()),
        },
    };
    session.finish = Some(end);
    session.save(dir)?;
    print!("{}", report::change::finished(&session, dir));
    Ok(exit(green))
}

/// Every session.json under `dirs` (searched to any depth), each with its folder.
/// Static figures of every app no session has touched: image size from the engine, build times
/// measured now or taken from the newest run that measured them.
async fn static_figures(config: &Config, sessions: &[Session], measure_builds: bool) -> Result<Vec<super::ease::EaseFigures>> {
    let apps = crate::images::apps::discover(&config.paths.apps_dir)?;
    let runs = super::ease::runs_newest_first(&config.paths.results_dir);
    let engine = Engine::connect(&config.docker.host, &new_run_id()).await;
    if measure_builds {
        if let Err(e) = &engine {
            anyhow::bail!("--measure-builds needs the Docker engine: {e}");
        }
    }
    let mut figures = Vec::new();
    for app in apps.iter().filter(|a| !sessions.iter().any(|s| s.app == a.id)) {
        let mut ease = super::ease::measure(&app.id, &app.dir);
        super::ease::fill_from_newest(&mut ease, &runs);
        if let Ok(engine) = &engine {
            if measure_builds {
                let (full_ms, bytes) = crate::images::apps::timed_check_build(engine, app, true, false).await?;
                let (incremental_ms, _) = crate::images::apps::timed_check_build(engine, app, false, true).await?;
                ease.no_cache_build_s = Some(full_ms as f64 / 1000.0);
                ease.incremental_build_s = Some(incremental_ms as f64 / 1000.0);
                ease.builds_from = Some("measured now".to_string());
                ease.image_mb = Some(bytes as f64 / 1e6);
            } else if let Ok((bytes, _)) = engine.image_size(&app.image_tag()).await {
                ease.image_mb = Some(bytes as f64 / 1e6);
            }
        }
        figures.push(ease);
    }
    Ok(figures)
}

pub fn gather(dirs: &[PathBuf]) -> Result<Vec<Session>> {
    let mut sessions = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(dir) = stack.pop() {
        if dir.join(session::SESSION_FILE).is_file() {
            sessions.push(Session::load(&dir)?);
            continue;
        }
        let entries = std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        stack.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    sessions.sort_by(|a, b| (&a.app, &a.task, &a.started_at).cmp(&(&b.app, &b.task, &b.started_at)));
    Ok(sessions)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_session_schema_is_what_the_types_make() {
        let committed = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/session.schema.json")).unwrap();
        assert_eq!(committed, super::session_schema_text(), "regenerate: cargo run -q -- change schema > results/session.schema.json");
    }
}
