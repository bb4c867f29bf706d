//! One measured phase, the unit every scenario is made of: a warm-up (not recorded), then a load
//! profile against the app with the app and database sampled and the host's steal counted, then
//! the flags that name who limited the phase.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

use super::Bench;
use crate::collect::resources::{cpus_in, quota_cores};
use crate::collect::server::ServerSampler;
use crate::collect::{self, Sampler, StealMeter, WorkloadResult};
use crate::config::Config;
use crate::load::loadgen::{GeneratorSpec, LoadgenSpec, WorkloadSpec};
use crate::load::share::Share;
use crate::load::{self, EngineConfig, Mode, Profile, Recorder, Workload, WorkloadKind};
use crate::progress::Step;

/// What to run: a workload, a warm-up at a constant rate, then the measured profile.
pub struct Phase {
    pub workload: WorkloadKind,
    /// Warm-up rate and length (skipped when the length is zero).
    pub warmup: (f64, Duration),
    pub profile: Profile,
    /// Distinguishes this phase's idempotency keys and progress lines (`capacity 120/s`).
    pub label: String,
}

/// A measured phase: the row for the results, and the raw recorder (histograms, intervals).
pub struct Measured {
    pub result: WorkloadResult,
    pub recorder: Recorder,
}

/// Runs `phase` on the bench's app.
pub async fn measure(bench: &Bench<'_>, phase: &Phase) -> Result<Measured> {
    measure_with(bench, phase, false).await
}

/// [`measure`], keeping every order acknowledged in the measured window in `recorder.orders`
/// when `keep_orders` (the warm-up never keeps them).
pub async fn measure_with(bench: &Bench<'_>, phase: &Phase, keep_orders: bool) -> Result<Measured> {
    let config = bench.config;
    let workload = Arc::new(Workload::new(phase.workload, bench.catalogue.clone(), config.run.mix.clone()));
    let name = phase.workload.name();
    let generator = generator(config, bench.engine.run_id(), &format!("{name}-{}", phase.label));
    let (warm_rps, warm_for) = phase.warmup;
    if !warm_for.is_zero() {
        let step = Step::start(format!("{name} {}: warm-up {:.0} s at {warm_rps:.1}/s", phase.label, warm_for.as_secs_f64()));
        let warmup = Mode::Open(Profile::Constant { rps: warm_rps, duration_s: warm_for.as_secs_f64() });
        run(bench, warmup, &workload, phase.workload, generator.clone()).await?;
        step.done("done");
    }
    let step = Step::start(format!("{name} {}: measuring", phase.label));
    let (app_sampler, db_sampler) = (Sampler::start(bench.engine, &bench.container), Sampler::start(bench.db_engine, &bench.stack.postgres_container));
    let server_sampler = ServerSampler::start(bench.addr, bench.app.observability.clone());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let r = &config.run;
    let (app_quota, db_quota) = (quota_cores(Some(r.app_cpus), &r.app_cpuset, cores), quota_cores(None, &config.postgres.cpuset, cores));
    let steal = StealMeter::start();
    let generator = EngineConfig { key_prefix: format!("{}-m", generator.key_prefix), keep_orders, ..generator };
    let (mut summary, recorder) = run(bench, Mode::Open(phase.profile.clone()), &workload, phase.workload, generator).await?;
    let cpu_steal = steal.finish();
    let server = server_sampler.finish().await;
    let (app_resources, postgres_resources) = (app_sampler.finish().await.against_quota(app_quota), db_sampler.finish().await.against_quota(db_quota));
    let db_saturated_reason = collect::db_saturation(&postgres_resources);
    collect::steal::explain_generator_lag(&mut summary, &cpu_steal, &r.generator_cpus);
    let used: Vec<usize> = [cpus_in(&r.app_cpuset), cpus_in(&config.postgres.cpuset), r.generator_cpus.clone()].concat();
    let host_steal_reason = collect::steal::host_steal(&cpu_steal, &used);
    let flagged =
        [(summary.saturated, " · SATURATED"), (db_saturated_reason.is_some(), " · DB-SATURATED"), (summary.generator_limited, " · GENERATOR-LIMITED")];
    let flags: String = flagged.iter().filter(|(on, _)| *on).map(|(_, text)| *text).collect();
    let errors = summary.errors.values().sum::<u64>();
    step.done(format!("{:.1}/s asked, p99 {:.1} ms, {errors} errors{flags}", summary.target_rps.unwrap_or(0.0), summary.response_time.p99_us as f64 / 1000.0));
    let result = WorkloadResult {
        workload: phase.workload,
        load: summary,
        app_resources,
        postgres_resources,
        db_saturated: db_saturated_reason.is_some(),
        db_saturated_reason,
        cpu_steal,
        host_steal_reason,
        histogram_file: String::new(),
        intervals_file: String::new(),
        server,
    };
    Ok(Measured { result, recorder })
}

/// Runs `mode` in this process, or — with load hosts — in their generator containers, each its
/// share of the one schedule, merged exactly.
async fn run(bench: &Bench<'_>, mode: Mode, workload: &Arc<Workload>, kind: WorkloadKind, config: EngineConfig) -> Result<(load::LoadSummary, Recorder)> {
    if bench.load_hosts.is_empty() {
        let (addr, workload) = (bench.addr, workload.clone());
        let measured = tokio::task::spawn_blocking(move || load::measure(addr, &mode, workload, &config)).await?;
        return Ok(measured?);
    }
    let Mode::Open(profile) = mode else { anyhow::bail!("a distributed phase runs an arrival schedule (open model) only") };
    anyhow::ensure!(
        !config.keep_orders,
        "the db-restart scenario checks every acknowledged order, which generators on load hosts do not report; leave it out (--scenario) or run the load from this machine (hosts.load)"
    );
    let schedule = profile.schedule()?;
    let duration = schedule.duration();
    let target = schedule.total() as f64 / duration.as_secs_f64();
    let url = format!("http://{}:{}/", bench.config.hosts.app.reach_as, bench.addr.port());
    let spec = LoadgenSpec {
        url,
        workload: WorkloadSpec::of(kind, &bench.catalogue, &bench.config.run.mix),
        profile,
        seed: config.seed,
        key_prefix: config.key_prefix.clone(),
        share: Share::new(0, 1).expect("one share"),
        start_unix_ns: 0,
        engine: GeneratorSpec {
            workers: 1,
            cpus: Vec::new(),
            connections: config.connections,
            queue_bound: config.queue_bound,
            timeout_ms: config.timeout.as_millis() as u64,
            realtime: config.realtime,
            idle_polling: config.idle_polling,
        },
    };
    let merged = crate::hosts::load::measure(bench.load_hosts, &spec, duration).await?;
    Ok((merged.summary(Some(target), duration), merged.recorder))
}

/// The start of every idempotency key of a phase: the run id and the phase label reduced to the
/// characters a key may hold (`capacity 5/s` → `capacity-5-s`), short enough that a key with its
/// request number stays within the contract's 64 characters.
fn key_prefix(run_id: &str, phase: &str) -> String {
    let label: String = phase.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).take(36).collect();
    format!("{run_id}-{label}")
}

fn generator(config: &Config, run_id: &str, phase: &str) -> EngineConfig {
    let r = &config.run;
    EngineConfig {
        workers: r.generator_cpus.len().max(1),
        cpus: r.generator_cpus.clone(),
        connections: r.connections,
        queue_bound: r.queue_bound,
        timeout: Duration::from_secs_f64(r.timeout_s),
        seed: config.dataset.seed,
        key_prefix: key_prefix(run_id, phase),
        realtime: r.generator_realtime,
        idle_polling: r.generator_idle_polling,
        keep_orders: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_label_with_spaces_and_slashes_makes_a_key_the_contract_accepts() {
        let prefix = key_prefix("0123abcd", "checkout-capacity 5/s and a very long label that goes on and on");
        let key = format!("{prefix}-m-1234567");
        assert!(key.len() <= 64 && key.bytes().all(|b| (0x21..=0x7e).contains(&b)), "{key}");
        assert!(key.starts_with("0123abcd-checkout-capacity-5-s-"), "{key}");
    }
}
