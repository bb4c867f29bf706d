//! `bakeoff run`: verify every app, then measure each one alone — fresh database, identical
//! limits and placement, warm-up, measured phases per workload with resource sampling — and write
//! the results after every app.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::change::ease::EaseSources;
use crate::collect::{self, spread, AppResult, Placement, RunResults, SCHEMA_VERSION};
use crate::config::Config;
use crate::docker::Scope;
use crate::hosts;
use crate::images::apps::AppManifest;
use crate::load::{Catalogue, WorkloadKind};
use crate::progress::{RunProgress, Step};
use crate::report;
use crate::scenario::{self, Bench, Scenario, SteadyRate};
use crate::seed;
use crate::stack::{AppLimits, Stack};
use crate::verify;

/// The plan of a run: sizes and durations (full or quick).
#[derive(Debug, Clone)]
pub struct Plan {
    pub quick: bool,
    pub products: u64,
    pub warmup: Duration,
    pub measure: Duration,
    /// Repetitions of every scenario (`--repeat`), interleaved across apps.
    pub repeat: u32,
    /// The search log the search workload replays (`--queries`).
    pub queries: Option<std::sync::Arc<crate::load::queries::QueryLog>>,
}

impl Plan {
    pub fn new(config: &Config, quick: bool) -> Plan {
        let r = &config.run;
        let (products, warmup_s, measure_s) =
            if quick { (r.quick_products, r.quick_warmup_s, r.quick_measure_s) } else { (r.products, r.warmup_s, r.measure_s) };
        Plan { quick, products, warmup: Duration::from_secs_f64(warmup_s), measure: Duration::from_secs_f64(measure_s), repeat: 1, queries: None }
    }
}

/// Runs the bake-off of `apps`; results land in `results/<run-id>/`. Scenarios other than
/// steady run for every app first (so capacity is known for every app), then steady for every
/// app at the rates that follow from it; each pass gives each app a fresh database.
///
/// Verify runs on the orchestrator's own engine; each measured app runs on `placement`'s app
/// engine, its database on the db engine, and — when `hosts.load` names other engines — every
/// phase's load comes from generator containers there.
pub async fn bakeoff(roles: &hosts::Placement, config: &Config, apps: &[AppManifest], plan: &Plan, only: &[String]) -> Result<(RunResults, PathBuf)> {
    let engine = &roles.local;
    let chosen = scenario::selected(config, only)?;
    let dir = config.paths.results_dir.join(engine.run_id());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let p = placement(config);
    eprintln!(
        "placement: app on CPU {} ({} core quota, {} MiB), PostgreSQL on CPU {} ({} MiB), load generator on CPU {:?}. {}",
        p.app_cpuset, p.app_cpus, p.app_memory_mb, p.postgres_cpuset, p.postgres_memory_mb, p.generator_cpus, p.note
    );
    let passes = if chosen.iter().any(|s| s.name() == "steady") && chosen.len() > 1 { 2.0 } else { 1.0 };
    let per_app_s: f64 = chosen.iter().map(|s| s.expected_s(config, plan)).sum::<f64>() + passes * SETUP_S;
    let names: Vec<&str> = chosen.iter().map(|s| s.name()).collect();
    eprintln!("scenarios: {} — about {:.0} min for {} app(s) after verify", names.join(", "), per_app_s * apps.len() as f64 / 60.0, apps.len());
    let (verified, _) = verify::verify(engine, config, apps).await?;
    engine.remove(&Scope::Run(engine.run_id().to_string())).await?;
    let load_hosts = if roles.distributed_load() {
        roles.loadgen_images(config).await?;
        eprintln!("load: {} generator(s) on {}", roles.load.len(), roles.load.iter().map(|p| p.key.as_str()).collect::<Vec<_>>().join(", "));
        roles.load.clone()
    } else {
        Vec::new()
    };
    let mut results = RunResults {
        schema_version: SCHEMA_VERSION,
        run_id: engine.run_id().to_string(),
        started_at: seed::utc_now(),
        quick: plan.quick,
        environment: collect::environment::environment(engine, &config.images.base_tag).await,
        placement: placement(config),
        dataset: config.dataset.with_products(plan.products).manifest(),
        config: serde_json::to_value(config)?,
        steady_rates: BTreeMap::new(),
        repeat: plan.repeat,
        queries: plan.queries.as_ref().map(|log| log.info.clone()),
        apps: Vec::new(),
    };
    for (app, outcome) in apps.iter().zip(&verified.apps) {
        let mut result = app_result(app, outcome.build_ms);
        result.build_cached = outcome.build_cached;
        if !outcome.passed() {
            skip(&mut result, outcome.error.clone().unwrap_or_else(|| "failed verify".into()));
        }
        results.apps.push(result);
    }
    let measured = results.apps.iter().filter(|a| a.status == "measured").count();
    let mut progress = RunProgress::new(per_app_s * measured as f64 * plan.repeat as f64);
    if plan.repeat > 1 {
        eprintln!("repetitions: {} of every scenario, round-robin across apps", plan.repeat);
    }
    // Repetitions after the first measure into these; their key figures join the app's result.
    let mut later: Vec<Vec<AppResult>> = (1..plan.repeat).map(|_| results.apps.iter().map(unmeasured_like).collect()).collect();
    let (steady, first): (Vec<_>, Vec<_>) = chosen.into_iter().partition(|s| s.name() == "steady");
    let mut rates = scenario::steady_rates(config, &BTreeMap::new());
    for pass in [first, steady] {
        if pass.is_empty() {
            continue;
        }
        if pass[0].name() == "steady" {
            let capacities = results.apps.iter().map(|a| (a.app.clone(), a.capacity.clone())).collect();
            rates = scenario::steady_rates(config, &capacities);
            for (kind, rate) in &rates {
                eprintln!("steady {}: {}/s — {}", kind.name(), rate.rps, rate.why);
            }
            results.steady_rates = rates.clone();
        }
        for repetition in 0..plan.repeat {
            for (i, (app, result)) in apps.iter().zip(results.apps.iter_mut()).enumerate() {
                if result.status != "measured" {
                    continue;
                }
                let into = if repetition == 0 { result } else { &mut later[repetition as usize - 1][i] };
                let at = At { dir: &dir, roles, load_hosts: &load_hosts, repetition, steady_rates: &rates };
                measure_app(config, app, plan, &at, &pass, into, &mut progress).await?;
            }
        }
        if plan.repeat > 1 {
            for (i, result) in results.apps.iter_mut().enumerate() {
                result.repeats = std::iter::once(spread::figures_of(result, 0))
                    .chain(later.iter().enumerate().map(|(r, apps)| spread::figures_of(&apps[i], r as u32 + 1)))
                    .collect();
                result.spread = spread::spreads(&result.repeats);
            }
        }
        report::write_all(&dir, &results, &EaseSources::of(config).for_run(&results))?;
    }
    progress.finish();
    Ok((results, dir))
}

/// Where a measurement goes: the run's folder, which repetition, and the steady rates.
struct At<'a> {
    dir: &'a Path,
    roles: &'a hosts::Placement,
    load_hosts: &'a [crate::hosts::Placed],
    repetition: u32,
    steady_rates: &'a BTreeMap<WorkloadKind, SteadyRate>,
}

/// A copy of `result` with nothing measured yet (a later repetition measures into it).
fn unmeasured_like(result: &AppResult) -> AppResult {
    let mut fresh = result.clone();
    (fresh.workloads, fresh.capacity, fresh.repeats, fresh.spread) = Default::default();
    (fresh.spike, fresh.cold_start, fresh.deploy, fresh.db_restart) = Default::default();
    fresh
}

/// Seconds a fresh stack, seed and app start take (for the estimate).
const SETUP_S: f64 = 20.0;

fn app_result(app: &AppManifest, build_ms: Option<u64>) -> AppResult {
    AppResult {
        app: app.id.clone(),
        display_name: app.display_name.clone(),
        framework: app.framework.name.clone(),
        framework_version: app.framework.version.clone(),
        status: "measured".into(),
        skipped_reason: None,
        image_id: None,
        image_size_bytes: None,
        build_ms,
        cold_start_ms: None,
        workloads: Vec::new(),
        capacity: Vec::new(),
        spike: None,
        cold_start: None,
        deploy: None,
        db_restart: None,
        build_cached: false,
        repeats: Vec::new(),
        spread: Vec::new(),
    }
}

fn placement(config: &Config) -> Placement {
    let r = &config.run;
    let note = if r.generator_cpus.iter().any(|c| config.postgres.cpuset.split(',').any(|p| p == c.to_string())) {
        "the load generator shares its CPU with PostgreSQL (2-core machine); the app has its CPU alone".into()
    } else {
        String::new()
    };
    Placement {
        app_cpuset: r.app_cpuset.clone(),
        app_cpus: r.app_cpus,
        app_memory_mb: r.app_memory_mb,
        postgres_cpuset: config.postgres.cpuset.clone(),
        postgres_memory_mb: config.postgres.memory_mb,
        generator_cpus: r.generator_cpus.clone(),
        note,
    }
}

/// One app alone with `scenarios`: fresh database, start (cold start timed the first time), then
/// each scenario in turn.
async fn measure_app(
    config: &Config,
    app: &AppManifest,
    plan: &Plan,
    at: &At<'_>,
    scenarios: &[Box<dyn Scenario>],
    result: &mut AppResult,
    progress: &mut RunProgress,
) -> Result<()> {
    let roles = at.roles;
    let (engine, db_engine) = (&roles.app.engine, &roles.db.engine);
    progress.begin(&format!("{}: fresh database and start", app.id), SETUP_S);
    if engine.host() != roles.local.host() {
        roles.app_image(config, app).await?;
    }
    let (size, id) = engine.image_size(&app.image_tag()).await?;
    (result.image_size_bytes, result.image_id) = (Some(size as u64), Some(id));
    let stack = Stack::start_placed(roles, config).await?;
    let mut db = stack.connect().await?;
    let dataset = config.dataset.with_products(plan.products);
    let step = Step::start(format!("{}: seeding {}", app.id, dataset.describe()));
    seed::seed(&mut db, &dataset, false).await?;
    stack.wait_seeded(db_engine).await?;
    step.done("fresh database");
    let catalogue = catalogue(&db, config, plan).await?;
    let limits = AppLimits::measured(config);
    let crate::stack::RunningApp { container, port, cold_start } = match stack.start_app(engine, app, &limits).await {
        Ok(running) => running,
        Err(error) => return not_started(roles, result, error).await,
    };
    result.cold_start_ms.get_or_insert(cold_start.as_millis() as u64);
    let bench = Bench {
        engine,
        db_engine,
        build_engine: if roles.app.host.build { engine } else { &roles.local },
        config,
        plan,
        app,
        stack: &stack,
        container,
        addr: app_addr(roles, port)?,
        catalogue,
        dir: at.dir,
        steady_rates: at.steady_rates,
        repetition: at.repetition,
        load_hosts: at.load_hosts,
    };
    for scenario in scenarios {
        let expected_s = scenario.expected_s(config, plan);
        let what = if plan.repeat > 1 {
            format!("{}: {} (repetition {} of {})", app.id, scenario.name(), at.repetition + 1, plan.repeat)
        } else {
            format!("{}: {}", app.id, scenario.name())
        };
        eprintln!("==> {what} (about {expected_s:.0} s)");
        progress.begin(&what, expected_s);
        scenario.run(&bench, result).await?;
    }
    remove_run(roles).await
}

/// Where the orchestrator (and its in-process generator) reaches the app's published `port`:
/// the app host's `reach_as`.
pub fn app_addr(roles: &hosts::Placement, port: u16) -> Result<std::net::SocketAddr> {
    use std::net::ToSocketAddrs;
    let host = &roles.app.host.reach_as;
    (host.as_str(), port).to_socket_addrs()?.next().with_context(|| format!("hosts.app.reach_as {host} does not resolve"))
}

/// Removes the session's objects on every engine of the placement.
async fn remove_run(roles: &hosts::Placement) -> Result<()> {
    for engine in roles.engines() {
        engine.remove(&Scope::Run(engine.run_id().to_string())).await?;
    }
    Ok(())
}

/// What the workload may ask for, read from the loaded database: the catalogue's size, brands
/// and categories; for a catalogue file also its own search terms (the most frequent words of
/// its names); and the query log, if one was given.
async fn catalogue(db: &tokio_postgres::Client, config: &Config, plan: &Plan) -> Result<Catalogue> {
    let products: i32 = db.query_one("SELECT max(id) FROM products", &[]).await?.get(0);
    let brands = db.query("SELECT brand FROM products GROUP BY brand ORDER BY count(*) DESC, brand LIMIT 200", &[]).await?;
    let categories = db.query("SELECT id FROM categories ORDER BY id", &[]).await?;
    let mut terms = Vec::new();
    if config.dataset.catalog.is_some() {
        let names = db.query("SELECT name FROM products ORDER BY id", &[]).await?;
        terms = crate::load::vocabulary::most_frequent_words(names.iter().map(|r| r.get::<_, &str>(0)), SEARCH_TERMS);
    }
    Ok(Catalogue {
        products: products as u32,
        brands: brands.iter().map(|r| r.get(0)).collect(),
        categories: categories.iter().map(|r| r.get(0)).collect(),
        terms,
        queries: plan.queries.clone(),
    })
}

/// Search terms taken from a catalogue file's names.
const SEARCH_TERMS: usize = 200;

/// SLO violations of measured phases, one message each.
pub fn slo_violations(config: &Config, results: &RunResults) -> Vec<String> {
    let slo = &config.run.slo;
    let mut broken = Vec::new();
    for app in &results.apps {
        for w in &app.workloads {
            let p99_ms = w.load.response_time.p99_us as f64 / 1000.0;
            if let Some(limit) = slo.p99_ms.filter(|limit| p99_ms > *limit) {
                broken.push(format!("{} / {}: p99 {p99_ms:.1} ms > {limit} ms", app.app, w.workload.name()));
            }
            if let Some(limit) = slo.max_error_rate.filter(|limit| w.load.error_rate > *limit) {
                broken.push(format!("{} / {}: error rate {:.4} > {limit}", app.app, w.workload.name(), w.load.error_rate));
            }
        }
    }
    broken
}

/// Marks the app skipped, saying why.
fn skip(result: &mut AppResult, reason: String) {
    result.status = "skipped".into();
    result.skipped_reason = Some(reason);
}

/// An app that passed verify but does not start for measurement (it exits, or its health path
/// never answers) is skipped like one that failed verify; its stack is removed and the run goes on.
async fn not_started(roles: &hosts::Placement, result: &mut AppResult, error: crate::docker::DockerError) -> Result<()> {
    eprintln!("  {} failed to start for measurement; skipping it", result.app);
    skip(result, format!("failed to start for measurement: {error}"));
    remove_run(roles).await
}

/// Why the run fails when no app could be measured (every one failed to build, start or verify).
pub fn nothing_measured(results: &RunResults) -> Option<String> {
    if results.apps.iter().any(|a| a.status == "measured") {
        return None;
    }
    let reasons: Vec<String> = results.apps.iter().map(|a| format!("  {}: {}", a.app, a.skipped_reason.as_deref().unwrap_or("skipped"))).collect();
    Some(format!("no app could be measured; fix these, then run again (`bakeoff verify APP` shows verify failures):\n{}", reasons.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::WorkloadResult;
    use crate::load;

    fn results_with_p99(p99_ms: u64, errors: u64) -> RunResults {
        let mut recorder = load::Recorder::default();
        for _ in 0..100 {
            recorder.due(0, Duration::ZERO);
            recorder.sent(0, Duration::ZERO, true, false);
            recorder.answered(0, Duration::from_millis(p99_ms), Duration::from_millis(p99_ms), true);
        }
        for _ in 0..errors {
            recorder.error(0, "status_5xx");
        }
        let load = load::summarize("open", Some(10.0), Duration::from_secs(10), &recorder);
        let workload = WorkloadResult {
            server: Default::default(),
            workload: load::WorkloadKind::Search,
            load,
            app_resources: Default::default(),
            postgres_resources: Default::default(),
            db_saturated: false,
            db_saturated_reason: None,
            cpu_steal: vec![],
            host_steal_reason: None,
            histogram_file: "x.hgrm".into(),
            intervals_file: "x.intervals.csv".into(),
        };
        let mut app = AppResult { status: "measured".into(), ..app_result_for_test() };
        app.workloads.push(workload);
        RunResults {
            schema_version: SCHEMA_VERSION,
            run_id: "r".into(),
            started_at: String::new(),
            quick: true,
            environment: Default::default(),
            placement: placement(&Config::defaults()),
            dataset: seed::manifest_of(seed::DatasetSpec { products: 100, seed: 1 }),
            config: serde_json::Value::Null,
            steady_rates: Default::default(),
            repeat: 1,
            queries: None,
            apps: vec![app],
        }
    }

    fn app_result_for_test() -> AppResult {
        AppResult {
            app: "fastapi".into(),
            display_name: String::new(),
            framework: String::new(),
            framework_version: String::new(),
            status: String::new(),
            skipped_reason: None,
            image_id: None,
            image_size_bytes: None,
            build_ms: None,
            cold_start_ms: None,
            workloads: vec![],
            capacity: vec![],
            spike: None,
            cold_start: None,
            deploy: None,
            db_restart: None,
            build_cached: false,
            repeats: vec![],
            spread: vec![],
        }
    }

    #[test]
    fn a_run_that_measured_no_app_is_a_failure_naming_each_apps_reason() {
        let mut results = results_with_p99(10, 0);
        assert_eq!(nothing_measured(&results), None);
        skip(&mut results.apps[0], "failed to start for measurement: exited".into());
        let why = nothing_measured(&results).expect("a failure");
        assert!(why.starts_with("no app could be measured"), "{why}");
        assert!(why.contains("fastapi: failed to start for measurement: exited"), "{why}");
    }

    #[test]
    fn no_slo_configured_means_nothing_is_broken() {
        assert!(slo_violations(&Config::defaults(), &results_with_p99(900, 50)).is_empty());
    }

    #[test]
    fn a_p99_or_error_rate_over_the_threshold_is_named_with_app_and_workload() {
        let mut config = Config::defaults();
        config.run.slo.p99_ms = Some(100.0);
        config.run.slo.max_error_rate = Some(0.01);
        let broken = slo_violations(&config, &results_with_p99(250, 5));
        assert_eq!(broken.len(), 2, "{broken:?}");
        assert!(broken[0].starts_with("fastapi / search: p99 250"), "{broken:?}");
        assert!(broken[1].contains("error rate 0.0500 > 0.01"), "{broken:?}");
        assert!(slo_violations(&config, &results_with_p99(50, 0)).is_empty());
    }

    #[test]
    fn the_placement_says_when_the_generator_shares_the_databases_cpu() {
        let p = placement(&Config::defaults());
        assert_eq!((p.app_cpuset.as_str(), p.postgres_cpuset.as_str(), p.generator_cpus.as_slice()), ("0", "1", &[1usize][..]));
        assert!(p.note.contains("shares its CPU with PostgreSQL"));
    }
}
