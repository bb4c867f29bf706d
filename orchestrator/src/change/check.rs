//! Checking one workspace against a task: build its image into a tag of its own, start it beside
//! a seeded database that holds the task's `schema.sql`, run verify's whole suite and the task's
//! group, and remove everything started.

use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};

use serde::Serialize;

use super::{ChangeError, Task};
use crate::config::Config;
use crate::docker::Engine;
use crate::images::apps::{self, AppManifest};
use crate::seed::RESERVED_PRODUCTS;
use crate::stack::Stack;
use crate::verify::{self, GroupOutcome};

/// The suffix of the names of a check's database container, network and volume.
const STACK_SUFFIX: &str = "-check";

/// What checking a workspace found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    /// Wall time of the image build (the developer's inner-loop deploy time), failed or not.
    pub build_ms: u64,
    /// Why the image did not build; nothing else ran.
    pub build_error: Option<String>,
    /// Why the built app did not become healthy (its last log lines included); no group ran.
    pub start_error: Option<String>,
    /// Every base group verify runs (runtime and observability included), then the task's group.
    pub groups: Vec<GroupOutcome>,
}

impl CheckOutcome {
    /// Built, started, and every check of every group passed.
    pub fn passed(&self) -> bool {
        self.build_error.is_none() && self.start_error.is_none() && !self.groups.is_empty() && self.groups.iter().all(GroupOutcome::passed)
    }

    /// The task's own group (named by the task id), if the suite ran.
    pub fn task_group(&self, task: &Task) -> Option<&GroupOutcome> {
        self.groups.iter().find(|g| g.group == task.id)
    }

    /// Every group but the task's passed: the change broke nothing that was there.
    pub fn base_passed(&self, task: &Task) -> bool {
        self.start_error.is_none() && !self.groups.is_empty() && self.groups.iter().filter(|g| g.group != task.id).all(GroupOutcome::passed)
    }
}

/// Checks `workspace` (a copy of an app folder; its `app.yaml` is read from it) against `task`:
/// builds it into `tag` (labelled with the session's run id, so clean-up finds it), starts a
/// database seeded as verify seeds it plus the task's `schema.sql`, runs the suite and the
/// task's group, and removes the database, the containers and the image again.
pub async fn check(engine: &Engine, config: &Config, workspace: &Path, task: &Task, tag: &str) -> Result<CheckOutcome, ChangeError> {
    let app = apps::read_workspace(workspace, tag).map_err(|e| ChangeError::Workspace { dir: workspace.to_path_buf(), message: e.to_string() })?;
    let built = Built::build(engine, config, &app).await;
    if built.error.is_some() {
        return Ok(built.failed());
    }
    let database = CheckDatabase::start(engine, config, std::slice::from_ref(task)).await;
    let outcome = match &database {
        Ok(database) => database.run(engine, config, &app, task, &built).await,
        Err(_) => None,
    };
    built.remove(engine, &app).await;
    let database = database?;
    let outcome = outcome.ok_or(ChangeError::Full { slots: RESERVED_PRODUCTS as i32 });
    database.remove(engine).await?;
    outcome
}

/// A seeded database for checks, holding the `schema.sql` of some tasks (tasks whose schemas
/// agree with each other): many workspaces can be checked against it one after another, each
/// with data of its own (a reserved product, its own keys, codes and emails).
pub struct CheckDatabase {
    stack: Stack,
    db: tokio_postgres::Client,
    /// The next reserved product id to hand out (1..=RESERVED_PRODUCTS).
    next_slot: AtomicI32,
}

impl CheckDatabase {
    /// Starts PostgreSQL (named `bakeoff-<run>-check…`), seeds it as `bakeoff verify` does, then
    /// runs each task's `schema.sql`, in the order given.
    pub async fn start(engine: &Engine, config: &Config, tasks: &[Task]) -> Result<CheckDatabase, ChangeError> {
        let (stack, db) = verify::seeded_stack_named(engine, config, STACK_SUFFIX).await.map_err(ChangeError::Database)?;
        let database = CheckDatabase { stack, db, next_slot: AtomicI32::new(1) };
        for task in tasks {
            let applied = match std::fs::read_to_string(task.schema()) {
                Ok(sql) => database.db.batch_execute(&sql).await.map_err(|source| ChangeError::Schema { file: task.schema(), source }),
                Err(e) => Err(ChangeError::Invalid { file: task.schema(), message: format!("cannot read it: {e}") }),
            };
            if let Err(e) = applied {
                database.remove(engine).await.ok();
                return Err(e);
            }
        }
        Ok(database)
    }

    /// [`check`] against this database (which must hold the task's schema); the image is removed
    /// afterwards, the database stays.
    pub async fn check(&self, engine: &Engine, config: &Config, workspace: &Path, task: &Task, tag: &str) -> Result<CheckOutcome, ChangeError> {
        let app = apps::read_workspace(workspace, tag).map_err(|e| ChangeError::Workspace { dir: workspace.to_path_buf(), message: e.to_string() })?;
        let built = Built::build(engine, config, &app).await;
        let outcome = if built.error.is_some() { Some(built.failed()) } else { self.run(engine, config, &app, task, &built).await };
        built.remove(engine, &app).await;
        outcome.ok_or(ChangeError::Full { slots: RESERVED_PRODUCTS as i32 })
    }

    /// Starts the built app and runs the groups; None when every slot is used.
    async fn run(&self, engine: &Engine, config: &Config, app: &AppManifest, task: &Task, built: &Built) -> Option<CheckOutcome> {
        let slot = self.next_slot.fetch_add(1, Ordering::SeqCst);
        if slot > RESERVED_PRODUCTS as i32 {
            return None;
        }
        let target = verify::Target { reserved_id: slot, key_prefix: format!("{}-{}-c{slot}", engine.run_id(), app.id), task: Some(&task.id) };
        let mut outcome = CheckOutcome { build_ms: built.build_ms, build_error: None, start_error: None, groups: Vec::new() };
        match verify::suite_on_built(engine, config, &self.stack, &self.db, app, &target).await {
            Ok(groups) => outcome.groups = groups,
            Err(e) => outcome.start_error = Some(format!("{e:#}")),
        }
        for suffix in ["", "-obs"] {
            engine.remove_container(&format!("bakeoff-{}-{}{suffix}", engine.run_id(), app.id)).await.ok();
        }
        Some(outcome)
    }

    /// Removes the database's container, volume and network.
    pub async fn remove(&self, engine: &Engine) -> Result<(), ChangeError> {
        self.stack.remove(engine).await.map_err(|e| ChangeError::Database(e.into()))
    }
}

/// A workspace's image build: its time, its error, and what to remove afterwards.
struct Built {
    build_ms: u64,
    error: Option<String>,
    steps: Vec<String>,
    before: std::collections::HashSet<String>,
}

impl Built {
    async fn build(engine: &Engine, config: &Config, app: &AppManifest) -> Built {
        let started = std::time::Instant::now();
        let mut built = Built { build_ms: 0, error: None, steps: Vec::new(), before: Default::default() };
        let result = async {
            crate::images::ensure_base(engine, &config.images, false).await?;
            built.before = engine.all_image_ids().await?;
            apps::build_check(engine, app, &app.image_tag(), false, false).await
        };
        match result.await {
            Ok(build) => built.steps = build.steps,
            Err(e) => built.error = Some(e.to_string()),
        }
        built.build_ms = started.elapsed().as_millis() as u64;
        built
    }

    fn failed(&self) -> CheckOutcome {
        CheckOutcome { build_ms: self.build_ms, build_error: self.error.clone(), start_error: None, groups: Vec::new() }
    }

    /// Removes the image and its new step images (the build cache of unchanged layers stays).
    async fn remove(&self, engine: &Engine, app: &AppManifest) {
        if let Err(e) = engine.remove_build(&app.image_tag(), &self.steps, &self.before).await {
            eprintln!("  could not remove {}: {e}; `docker rmi {}` removes it by hand", app.image_tag(), app.image_tag());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &'static str, failures: usize) -> GroupOutcome {
        let mut g = GroupOutcome::new(name);
        for i in 0..failures {
            g.check_value(format!("check {i}"), false, "x", "y");
        }
        g.check_value("a passing check", true, "", "");
        g
    }

    fn task(id: &str) -> Task {
        Task { id: id.into(), title: String::new(), kind: String::new(), summary: String::new(), touches: String::new(), checks: 0, dir: Default::default() }
    }

    #[test]
    fn a_check_passes_only_when_built_started_and_every_group_passed() {
        let passing = CheckOutcome { build_ms: 1, build_error: None, start_error: None, groups: vec![group("basics", 0), group("order-history", 0)] };
        assert!(passing.passed());
        let task_failed = CheckOutcome { groups: vec![group("basics", 0), group("order-history", 2)], ..passing.clone() };
        assert!(!task_failed.passed());
        assert!(task_failed.base_passed(&task("order-history")), "the base suite still passed");
        assert_eq!(task_failed.task_group(&task("order-history")).map(|g| g.failures.len()), Some(2));
        let unbuilt = CheckOutcome { build_error: Some("no".into()), groups: Vec::new(), ..passing.clone() };
        assert!(!unbuilt.passed() && !unbuilt.base_passed(&task("order-history")));
        let nothing_ran = CheckOutcome { groups: Vec::new(), ..passing };
        assert!(!nothing_ran.passed(), "no groups is no pass");
    }
}
