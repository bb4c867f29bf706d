//! `bakeoff verify`: build each app, start it beside a freshly seeded database with resource
//! limits, wait for its health path, and run the conformance suite. Identical behaviour is
//! proven here, before any app is measured.

pub mod changes;
pub mod http;
pub mod observability;
pub mod outcome;
pub mod raw;
pub mod setup;
pub mod suite;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::config::Config;
use crate::docker::Engine;
use crate::images::{self, apps::AppManifest};
use crate::progress::Step;
use crate::seed::{self, RESERVED_PRODUCTS};
use crate::stack::{AppLimits, RunningApp, Stack};

pub use outcome::{AppOutcome, GroupOutcome, VerifyOutcome};

/// Verifies `apps` one after another against one seeded database; writes each app's failures
/// under `results/verify-<run>/` as soon as it is done.
pub async fn verify(engine: &Engine, config: &Config, apps: &[AppManifest]) -> Result<(VerifyOutcome, PathBuf)> {
    anyhow::ensure!(apps.len() <= RESERVED_PRODUCTS as usize, "verify at most {RESERVED_PRODUCTS} apps at once");
    let (stack, db) = seeded_stack(engine, config).await?;
    let out_dir = config.paths.results_dir.join(format!("verify-{}", engine.run_id()));
    let mut outcomes = Vec::new();
    for (index, app) in apps.iter().enumerate() {
        let outcome = verify_app(engine, config, &stack, &db, app, index).await;
        save(&out_dir, &outcome)?;
        outcomes.push(outcome);
    }
    Ok((VerifyOutcome { apps: outcomes }, out_dir))
}

/// Verifies the ready apps as [`verify`] does, and reports each unfinished one's setup problems
/// without building it; the unfinished come first.
pub async fn verify_found(engine: &Engine, config: &Config, found: &images::apps::AppsFound) -> Result<(VerifyOutcome, PathBuf)> {
    let mut outcomes: Vec<AppOutcome> = found.unfinished.iter().map(|u| setup::unfinished(u, &config.images.base_tag)).collect();
    let out_dir = config.paths.results_dir.join(format!("verify-{}", engine.run_id()));
    for outcome in &outcomes {
        save(&out_dir, outcome)?;
    }
    if !found.ready.is_empty() {
        let (verified, _) = verify(engine, config, &found.ready).await?;
        outcomes.extend(verified.apps);
    }
    Ok((VerifyOutcome { apps: outcomes }, out_dir))
}

/// PostgreSQL with the verify catalogue (`verify.products`), seeded and ready for apps.
pub(crate) async fn seeded_stack(engine: &Engine, config: &Config) -> Result<(Stack, tokio_postgres::Client)> {
    seeded_stack_named(engine, config, "").await
}

/// [`seeded_stack`] whose container, network and volume names carry `suffix` ([`Stack::start_named`]).
pub async fn seeded_stack_named(engine: &Engine, config: &Config, suffix: &str) -> Result<(Stack, tokio_postgres::Client)> {
    images::ensure_base(engine, &config.images, false).await?;
    let stack = Stack::start_named(engine, config, suffix).await?;
    let mut db = stack.connect().await?;
    let dataset = config.dataset.with_products(config.verify.products);
    let step = Step::start(format!("seeding {} for verification", dataset.describe()));
    seed::seed(&mut db, &dataset, false).await?;
    stack.wait_seeded(engine).await?;
    step.done("ready");
    Ok((stack, db))
}

async fn verify_app(engine: &Engine, config: &Config, stack: &Stack, db: &tokio_postgres::Client, app: &AppManifest, index: usize) -> AppOutcome {
    let setup = setup::check(app, &config.images.base_tag);
    let mut outcome = AppOutcome { app: app.id.clone(), error: None, build_ms: None, groups: vec![setup], build_cached: false };
    match images::apps::build_app(engine, app).await {
        Ok(build) => (outcome.build_ms, outcome.build_cached) = (build.build_ms, build.cached),
        Err(e) => {
            outcome.error = Some(format!("build failed: {e}"));
            return outcome;
        }
    }
    let target = Target { reserved_id: index as i32 + 1, key_prefix: format!("{}-{}", engine.run_id(), app.id), task: None };
    match suite_on_built(engine, config, stack, db, app, &target).await {
        Ok(groups) => outcome.groups.extend(groups),
        Err(e) => outcome.error = Some(format!("{e:#}")),
    }
    outcome
}

/// What makes one suite run's data its own on a shared database, and which change task's group
/// (`verify/changes/`) runs after the base groups, if any.
pub struct Target<'a> {
    /// The reserved (stock 10) product the concurrency group consumes: one per run on a database.
    pub reserved_id: i32,
    /// Prefix of the run's idempotency keys, discount codes and emails.
    pub key_prefix: String,
    pub task: Option<&'a str>,
}

/// Starts the already built `app` (its [`AppManifest::image_tag`]), runs the suite, the task's
/// group, the runtime group and the observability group, and removes what it started. Err: the
/// app did not become healthy (nothing ran).
pub async fn suite_on_built(
    engine: &Engine,
    config: &Config,
    stack: &Stack,
    db: &tokio_postgres::Client,
    app: &AppManifest,
    target: &Target<'_>,
) -> Result<Vec<GroupOutcome>> {
    let running = start_app(engine, config, stack, app).await?;
    let step = Step::start(format!("conformance suite on {}", app.id));
    let http = http::Http::new(format!("http://127.0.0.1:{}", running.port));
    let ctx = suite::Ctx { http: &http, db, reserved_id: target.reserved_id, key_prefix: target.key_prefix.clone() };
    let mut groups = suite::run_all(&ctx).await;
    if let Some(task) = target.task {
        groups.push(changes::run(task, &ctx).await);
    }
    groups.push(stops_cleanly(engine, &running.container).await);
    let failed: usize = groups.iter().map(|g| g.failures.len()).sum();
    let checks: u32 = groups.iter().map(|g| g.checks).sum();
    step.done(format!("{} of {checks} checks passed", checks as usize - failed));
    if let Err(e) = engine.remove_container(&running.container).await {
        eprintln!("  could not remove {}: {e}", app.id);
    }
    let step = Step::start(format!("observability of {} (a second container, WORKERS=2)", app.id));
    let group = observability::check(engine, config, stack, app).await;
    step.done(format!("{} of {} checks passed", group.checks as usize - group.failures.len(), group.checks));
    groups.push(group);
    Ok(groups)
}

/// The runtime group: SIGTERM stops the app within 10 s with a clean exit status.
async fn stops_cleanly(engine: &Engine, name: &str) -> GroupOutcome {
    let mut group = GroupOutcome::new("runtime");
    match engine.stop_container(name, 15).await {
        Ok((code, took)) => {
            let clean = (code == 0 || code == 143) && took < Duration::from_secs(10);
            let found = format!("exit status {code} after {:.1} s", took.as_secs_f64());
            group.check_value("SIGTERM stops the app cleanly within 10 s", clean, "exit status 0 (or 143) within 10 s", found);
        }
        Err(e) => group.check_value("SIGTERM stops the app cleanly within 10 s", false, "a clean stop", e.to_string()),
    }
    group
}

/// Starts the app with the verify limits; returns its published port once healthy.
pub(crate) async fn start_app(engine: &Engine, config: &Config, stack: &Stack, app: &AppManifest) -> Result<RunningApp> {
    let v = &config.verify;
    let limits =
        AppLimits { memory_mb: v.app_memory_mb, cpuset: v.app_cpuset.clone(), cpus: v.app_cpus, startup_timeout: Duration::from_secs(v.startup_timeout_s) };
    let step = Step::start(format!("starting {}", app.id));
    let running = stack.start_app(engine, app, &limits).await.with_context(|| format!("{} did not become healthy", app.id))?;
    step.done(format!("healthy on 127.0.0.1:{}", running.port));
    Ok(running)
}

/// Writes the app's outcome (with every failing request/response pair) when anything failed.
fn save(dir: &Path, outcome: &AppOutcome) -> Result<()> {
    if outcome.passed() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{}.json", outcome.app));
    let text = serde_json::to_string_pretty(outcome)?;
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}
