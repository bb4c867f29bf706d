//! `bakeoff run`: verify every app, then measure each one alone — fresh database, identical
//! limits and placement, warm-up, measured phases per workload with resource sampling — and write
//! the results after every app.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::collect::resources::{cpus_in, quota_cores};
use crate::collect::{self, AppResult, Placement, RunResults, Sampler, StealMeter, WorkloadResult, SCHEMA_VERSION};
use crate::config::Config;
use crate::docker::{Engine, Scope};
use crate::images::apps::AppManifest;
use crate::load::{self, Catalogue, EngineConfig, Mode, Profile, Workload};
use crate::progress::Step;
use crate::report;
use crate::seed::{self, DatasetSpec};
use crate::stack::{AppLimits, Stack};
use crate::verify;

/// The plan of a run: sizes and durations (full or quick).
#[derive(Debug, Clone)]
pub struct Plan {
    pub quick: bool,
    pub products: u64,
    pub warmup: Duration,
    pub measure: Duration,
}

impl Plan {
    pub fn new(config: &Config, quick: bool) -> Plan {
        let r = &config.run;
        let (products, warmup_s, measure_s) =
            if quick { (r.quick_products, r.quick_warmup_s, r.quick_measure_s) } else { (r.products, r.warmup_s, r.measure_s) };
        Plan { quick, products, warmup: Duration::from_secs_f64(warmup_s), measure: Duration::from_secs_f64(measure_s) }
    }
}

/// Runs the bake-off of `apps`; results land in `results/<run-id>/`.
pub async fn bakeoff(engine: &Engine, config: &Config, apps: &[AppManifest], plan: &Plan) -> Result<(RunResults, PathBuf)> {
    let dir = config.paths.results_dir.join(engine.run_id());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let p = placement(config);
    eprintln!(
        "placement: app on CPU {} ({} core quota, {} MiB), PostgreSQL on CPU {} ({} MiB), load generator on CPU {:?}. {}",
        p.app_cpuset, p.app_cpus, p.app_memory_mb, p.postgres_cpuset, p.postgres_memory_mb, p.generator_cpus, p.note
    );
    let (verified, _) = verify::verify(engine, config, apps).await?;
    engine.remove(&Scope::Run(engine.run_id().to_string())).await?;
    let spec = DatasetSpec { products: plan.products, seed: config.dataset.seed };
    let mut results = RunResults {
        schema_version: SCHEMA_VERSION,
        run_id: engine.run_id().to_string(),
        started_at: seed::utc_now(),
        quick: plan.quick,
        environment: collect::environment::environment(engine, &config.images.base_tag).await,
        placement: placement(config),
        dataset: seed::manifest_of(spec),
        config: serde_json::to_value(config)?,
        apps: Vec::new(),
    };
    for (app, outcome) in apps.iter().zip(&verified.apps) {
        let mut result = app_result(app, outcome.build_ms);
        result.build_cached = outcome.build_cached;
        if outcome.passed() {
            measure_app(engine, config, app, plan, &dir, &mut result).await?;
        } else {
            skip(&mut result, outcome.error.clone().unwrap_or_else(|| "failed verify".into()));
        }
        results.apps.push(result);
        report::write_all(&dir, &results)?;
    }
    Ok((results, dir))
}

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
        build_cached: false,
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

/// One app alone: fresh database, start (cold start timed), then each workload.
async fn measure_app(engine: &Engine, config: &Config, app: &AppManifest, plan: &Plan, dir: &Path, result: &mut AppResult) -> Result<()> {
    let (size, id) = engine.image_size(&app.image_tag()).await?;
    (result.image_size_bytes, result.image_id) = (Some(size as u64), Some(id));
    let stack = Stack::start(engine, config).await?;
    let mut db = stack.connect().await?;
    let step = Step::start(format!("{}: seeding {} products", app.id, plan.products));
    seed::seed(&mut db, DatasetSpec { products: plan.products, seed: config.dataset.seed }, false).await?;
    stack.wait_seeded(engine).await?;
    step.done("fresh database");
    let catalogue = catalogue(&db).await?;
    let r = &config.run;
    let limits = AppLimits {
        memory_mb: r.app_memory_mb,
        cpuset: r.app_cpuset.clone(),
        cpus: r.app_cpus,
        startup_timeout: Duration::from_secs(config.verify.startup_timeout_s),
    };
    let crate::stack::RunningApp { container, port, cold_start } = match stack.start_app(engine, app, &limits).await {
        Ok(running) => running,
        Err(error) => return not_started(engine, result, error).await,
    };
    result.cold_start_ms = Some(cold_start.as_millis() as u64);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    for (&kind, &rps) in &config.run.workloads {
        let workload = Arc::new(Workload::new(kind, catalogue.clone(), config.run.mix.clone()));
        let measured = measure_workload(engine, config, plan, addr, workload, rps, (&container, &stack.postgres_container)).await?;
        let stem = format!("{}-{}", app.id, kind.name());
        let (histogram_file, intervals_file) = (format!("{stem}.hgrm"), format!("{stem}.intervals.csv"));
        std::fs::write(dir.join(&histogram_file), report::hgrm::distribution(&measured.1))?;
        std::fs::write(dir.join(&intervals_file), report::intervals::csv(&measured.1))?;
        result.workloads.push(WorkloadResult { histogram_file, intervals_file, ..measured.0 });
    }
    engine.remove(&Scope::Run(engine.run_id().to_string())).await?;
    Ok(())
}

/// Warm-up (not recorded), then the measured phase with the app and database sampled.
async fn measure_workload(
    engine: &Engine,
    config: &Config,
    plan: &Plan,
    addr: std::net::SocketAddr,
    workload: Arc<Workload>,
    rps: f64,
    (app, postgres): (&str, &str),
) -> Result<(WorkloadResult, load::Recorder)> {
    let name = workload.kind.name();
    let engine_config = generator(config, engine.run_id(), name);
    let step = Step::start(format!("{name}: warm-up {:.0} s at {rps}/s", plan.warmup.as_secs_f64()));
    let warmup = Mode::Open(Profile::Constant { rps, duration_s: plan.warmup.as_secs_f64() });
    phase(addr, warmup, workload.clone(), engine_config.clone()).await?;
    step.done("done");
    let step = Step::start(format!("{name}: measuring {:.0} s at {rps}/s", plan.measure.as_secs_f64()));
    let (app_sampler, db_sampler) = (Sampler::start(engine, app), Sampler::start(engine, postgres));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (app_quota, db_quota) = (quota_cores(Some(config.run.app_cpus), &config.run.app_cpuset, cores), quota_cores(None, &config.postgres.cpuset, cores));
    let mode = Mode::Open(Profile::Constant { rps, duration_s: plan.measure.as_secs_f64() });
    let steal = StealMeter::start();
    let (mut summary, recorder) =
        phase(addr, mode, workload.clone(), EngineConfig { key_prefix: format!("{}-m", engine_config.key_prefix), ..engine_config }).await?;
    let cpu_steal = steal.finish();
    let (app_resources, postgres_resources) = (app_sampler.finish().await.against_quota(app_quota), db_sampler.finish().await.against_quota(db_quota));
    let db_saturated_reason = collect::db_saturation(&postgres_resources);
    let r = &config.run;
    collect::steal::explain_generator_lag(&mut summary, &cpu_steal, &r.generator_cpus);
    let used: Vec<usize> = [cpus_in(&r.app_cpuset), cpus_in(&config.postgres.cpuset), r.generator_cpus.clone()].concat();
    let host_steal_reason = collect::steal::host_steal(&cpu_steal, &used);
    let flagged = [(summary.saturated, " · SATURATED"), (summary.generator_limited, " · GENERATOR-LIMITED")];
    let flags: String = flagged.iter().filter(|(on, _)| *on).map(|(_, text)| *text).collect();
    step.done(format!("p99 {:.1} ms, {} errors{flags}", summary.response_time.p99_us as f64 / 1000.0, summary.errors.values().sum::<u64>()));
    let result = WorkloadResult {
        workload: workload.kind,
        load: summary,
        app_resources,
        postgres_resources,
        db_saturated: db_saturated_reason.is_some(),
        db_saturated_reason,
        cpu_steal,
        host_steal_reason,
        histogram_file: String::new(),
        intervals_file: String::new(),
    };
    Ok((result, recorder))
}

async fn phase(addr: std::net::SocketAddr, mode: Mode, workload: Arc<Workload>, config: EngineConfig) -> Result<(load::LoadSummary, load::Recorder)> {
    let measured = tokio::task::spawn_blocking(move || load::measure(addr, &mode, workload, &config)).await?;
    Ok(measured?)
}

fn generator(config: &Config, run_id: &str, workload: &str) -> EngineConfig {
    let r = &config.run;
    EngineConfig {
        workers: r.generator_cpus.len().max(1),
        cpus: r.generator_cpus.clone(),
        connections: r.connections,
        queue_bound: r.queue_bound,
        timeout: Duration::from_secs_f64(r.timeout_s),
        seed: config.dataset.seed,
        key_prefix: format!("{run_id}-{workload}"),
        realtime: r.generator_realtime,
    }
}

/// What the workload may ask for: the catalogue's size, brands and categories.
async fn catalogue(db: &tokio_postgres::Client) -> Result<Catalogue> {
    let products: i32 = db.query_one("SELECT max(id) FROM products", &[]).await?.get(0);
    let brands = db.query("SELECT brand FROM products GROUP BY brand ORDER BY count(*) DESC, brand LIMIT 200", &[]).await?;
    let categories = db.query("SELECT id FROM categories ORDER BY id", &[]).await?;
    Ok(Catalogue { products: products as u32, brands: brands.iter().map(|r| r.get(0)).collect(), categories: categories.iter().map(|r| r.get(0)).collect() })
}

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
async fn not_started(engine: &Engine, result: &mut AppResult, error: crate::docker::DockerError) -> Result<()> {
    eprintln!("  {} failed to start for measurement; skipping it", result.app);
    skip(result, format!("failed to start for measurement: {error}"));
    engine.remove(&Scope::Run(engine.run_id().to_string())).await?;
    Ok(())
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
            dataset: seed::manifest_of(DatasetSpec { products: 100, seed: 1 }),
            config: serde_json::Value::Null,
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
            build_cached: false,
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
