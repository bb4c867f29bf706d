//! The change tasks' checks are real: for every task, a copy of an app with the task's reference
//! patch (`tests/fixtures/changes/<task>/<app>.patch`) passes the task's group and the whole
//! base suite, and the unmodified app fails the task's group while still passing the base suite.
//!
//! Wall time, measured on the 2-core machine of 2026-12-07 with the images' dependency layers in
//! the build cache (a source-only rebuild: ~1 s for fastapi, 13–21 s for gin): the twelve checks
//! of the first test took 97 s, 104 s and 187 s in three runs (the slow one while other sessions
//! loaded the machine); the single check of the second ~16 s. One seeded database holds every
//! task's schema.sql and serves every check of the first test; each patched copy is built once.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use bakeoff::change::{self, CheckDatabase, CheckOutcome, Task};
use bakeoff::config::Config;
use bakeoff::docker::Engine;
use common::{docker_host, docker_lock, labelled_by_run, remove_run, repo_root};

/// The apps with reference solutions for every task.
const APPS: &[&str] = &["fastapi", "gin"];

#[tokio::test]
async fn reference_solutions_pass_their_task_and_the_unmodified_app_fails_every_task() {
    let _lock = docker_lock();
    let started = std::time::Instant::now();
    std::env::set_current_dir(repo_root()).unwrap();
    let run_id = format!("{:08x}", std::process::id().wrapping_mul(2_654_435_761) ^ started.elapsed().subsec_nanos());
    let engine = Engine::connect(&docker_host(), &run_id).await.expect("engine answers");
    let config = Config::load(None).unwrap();
    let tasks = change::tasks(&repo_root().join("apps/contract")).unwrap();
    assert_eq!(tasks.len(), 3);
    let database = CheckDatabase::start(&engine, &config, &tasks).await;
    let database = match database {
        Ok(d) => d,
        Err(e) => {
            remove_run(&run_id).await;
            panic!("{e}");
        }
    };
    let scratch = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    // Nothing below panics before the database is removed: every problem is collected.
    for app in APPS {
        let plain = copy_app(app, scratch.path(), &format!("{app}-plain"));
        for task in &tasks {
            let patched = copy_app(app, scratch.path(), &format!("{app}-{}", task.id));
            if let Err(e) = apply(&patched, &repo_root().join(format!("orchestrator/tests/fixtures/changes/{}/{app}.patch", task.id))) {
                problems.push(e);
                continue;
            }
            let tag = format!("bakeoff-check/{app}-{}:{run_id}", task.id);
            match database.check(&engine, &config, &patched, task, &tag).await {
                Ok(outcome) if outcome.passed() => {
                    let ran = outcome.task_group(task).map_or(0, |g| g.checks);
                    if ran != task.checks {
                        problems.push(format!("{app} with the {} patch ran {ran} task checks; task.yaml says {}", task.id, task.checks));
                    }
                }
                Ok(outcome) => problems.push(format!("{app} with the {} patch failed:\n{}", task.id, failures(&outcome))),
                Err(e) => problems.push(format!("{app} with the {} patch: {e}", task.id)),
            }
            let tag = format!("bakeoff-check/{app}-plain:{run_id}");
            match database.check(&engine, &config, &plain, task, &tag).await {
                Ok(outcome) if outcome.task_group(task).is_some_and(|g| !g.passed()) && outcome.base_passed(task) => {}
                Ok(outcome) => {
                    problems.push(format!("unmodified {app} against {}: the task's group must fail, the rest pass:\n{}", task.id, summary(&outcome, task)))
                }
                Err(e) => problems.push(format!("unmodified {app} against {}: {e}", task.id)),
            }
        }
    }
    database.remove(&engine).await.unwrap();
    let left = labelled_by_run(&run_id).await;
    remove_run(&run_id).await;
    eprintln!("change checks took {:.0} s (97–187 s when measured)", started.elapsed().as_secs_f64());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert_eq!((left.containers, left.networks, left.volumes), (0, 0, 0), "the checks left objects behind");
}

/// A copy of `apps/<app>` as `scratch/<name>`, a new folder (a workspace keeps its id under any name).
fn copy_app(app: &str, scratch: &Path, name: &str) -> PathBuf {
    let to = scratch.join(name);
    assert!(!to.exists(), "{} exists already", to.display());
    let status = Command::new("cp").arg("-r").arg(repo_root().join("apps").join(app)).arg(&to).status().unwrap();
    assert!(status.success());
    to
}

/// Applies a patch made with `git diff` inside the app folder.
fn apply(dir: &Path, patch: &Path) -> Result<(), String> {
    let output = Command::new("git").args(["apply", "--whitespace=nowarn"]).arg(patch).current_dir(dir).output().unwrap();
    match output.status.success() {
        true => Ok(()),
        false => Err(format!("{} does not apply: {}", patch.display(), String::from_utf8_lossy(&output.stderr))),
    }
}

fn failures(outcome: &CheckOutcome) -> String {
    let mut lines: Vec<String> = [&outcome.build_error, &outcome.start_error].into_iter().flatten().cloned().collect();
    for group in &outcome.groups {
        for f in &group.failures {
            let found = f
                .exchange
                .as_ref()
                .map_or(f.found.clone(), |e| format!("{} {} → {} {}", e.method, e.path, e.status, e.body.chars().take(300).collect::<String>()));
            lines.push(format!("  [{}] {}: expected {}; found {found}", group.group, f.check, f.expected.chars().take(300).collect::<String>()));
        }
    }
    lines.join("\n")
}

fn summary(outcome: &CheckOutcome, task: &Task) -> String {
    let groups: Vec<String> = outcome.groups.iter().map(|g| format!("{} {}/{}", g.group, g.checks as usize - g.failures.len(), g.checks)).collect();
    format!("{} (task group {:?})\n{}", groups.join(", "), outcome.task_group(task).map(|g| g.failures.len()), failures(outcome))
}

#[tokio::test]
async fn one_check_builds_its_own_tag_and_database_and_leaves_nothing_behind() {
    let _lock = docker_lock();
    std::env::set_current_dir(repo_root()).unwrap();
    let run_id = format!("{:08x}", std::process::id().wrapping_mul(40_503) ^ 0x5eed);
    let engine = Engine::connect(&docker_host(), &run_id).await.expect("engine answers");
    let config = Config::load(None).unwrap();
    let task = change::task(&repo_root().join("apps/contract"), "order-history").unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let workspace = copy_app("fastapi", scratch.path(), "my-workspace");
    apply(&workspace, &repo_root().join("orchestrator/tests/fixtures/changes/order-history/fastapi.patch")).unwrap();
    let tag = format!("bakeoff-check/fastapi-session:{run_id}");
    let own_image = engine.image_id("bakeoff/fastapi:latest").await.unwrap();
    let outcome = change::check(&engine, &config, &workspace, &task, &tag).await;
    let left = labelled_by_run(&run_id).await;
    let image_left = engine.image_id(&tag).await.unwrap();
    remove_run(&run_id).await;
    let outcome = outcome.unwrap();
    assert!(outcome.passed(), "{}", failures(&outcome));
    assert!(outcome.build_ms > 0 && outcome.task_group(&task).is_some_and(|g| g.checks > 20), "{}", summary(&outcome, &task));
    assert_eq!((left.containers, left.networks, left.volumes), (0, 0, 0), "the check left objects behind");
    assert_eq!(image_left, None, "the check left its image {tag}");
    assert_eq!(engine.image_id("bakeoff/fastapi:latest").await.unwrap(), own_image, "the app's own image is untouched");
}
