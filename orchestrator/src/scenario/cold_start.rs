//! **cold-start** — what a fresh container costs, `repetitions` times: from `docker start` to the
//! first accepted TCP connection, to the first healthy answer, to the first answered search and
//! the first completed checkout; then the first `curve_s` seconds at a moderate search rate as a
//! warm-up curve (p99 per second) and the time until a rolling 3-second p99 settles within 1.2×
//! the p99 of the curve's last third. JIT and lazily loading runtimes show their cost here.
//! The app's main container is paused meanwhile (no CPU) and thawed at the end.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use futures_util::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bench, Phase, Scenario};
use crate::collect::AppResult;
use crate::config::{ColdStartConfig, Config};
use crate::load::conn::Pool;
use crate::load::stats::Second;
use crate::load::{Profile, Workload, WorkloadKind};
use crate::run::Plan;
use crate::seed::rng::Draw;
use crate::stack::AppLimits;

/// A rolling p99 counts as settled within this factor of the curve's final p99.
pub const SETTLED_WITHIN: f64 = 1.2;
/// Seconds in the rolling window.
pub const ROLLING_S: usize = 3;

pub struct ColdStart;

/// One fresh container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ColdStartRun {
    /// `docker start` → the app's port accepted a TCP connection (on its bridge address, not
    /// through the published port's proxy, which accepts before the app listens).
    pub tcp_accept_ms: u64,
    /// `docker start` → the health path answered 200.
    pub healthy_ms: u64,
    /// `docker start` → the first search answered as the contract says.
    pub first_search_ms: u64,
    /// `docker start` → the first checkout funnel completed.
    pub first_checkout_ms: u64,
    /// p99 of the requests due in each second of the warm-up curve.
    pub p99_per_second_us: Vec<u64>,
    /// p99 of the curve's last third (the settled level).
    pub settled_p99_us: u64,
    /// Seconds into the curve until the rolling p99 stayed within 1.2× the settled level; null
    /// when it never did within the curve.
    pub settle_s: Option<f64>,
}

/// The cold-start scenario on one app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ColdStartResult {
    pub workload: WorkloadKind,
    /// Rate of the warm-up curve.
    pub rps: f64,
    /// Where the rate came from, in words.
    pub rps_why: String,
    pub runs: Vec<ColdStartRun>,
    /// Medians over the runs.
    pub median_tcp_accept_ms: u64,
    pub median_healthy_ms: u64,
    pub median_first_search_ms: u64,
    pub median_first_checkout_ms: u64,
    /// Median of the runs' settle times (null when more than half never settled).
    pub median_settle_s: Option<f64>,
}

fn shape(c: &ColdStartConfig, plan: &Plan) -> (usize, f64) {
    if plan.quick {
        (c.quick_repetitions, c.quick_curve_s)
    } else {
        (c.repetitions, c.curve_s)
    }
}

impl Scenario for ColdStart {
    fn name(&self) -> &'static str {
        "cold-start"
    }

    fn expected_s(&self, config: &Config, plan: &Plan) -> f64 {
        let (repetitions, curve_s) = shape(&config.run.scenarios.cold_start, plan);
        repetitions as f64 * (curve_s + 8.0)
    }

    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let (repetitions, curve_s) = shape(&bench.config.run.scenarios.cold_start, bench.plan);
            let c = &bench.config.run.scenarios.cold_start;
            let (rps, rps_why) = super::moderate_rate(bench, result, WorkloadKind::Search, c.rps, "run.scenarios.cold_start.rps", 20.0);
            bench.engine.pause(&bench.container).await?;
            let mut runs = Vec::new();
            for n in 0..repetitions {
                let run = one_run(bench, n, rps, curve_s).await;
                bench.engine.remove_container(&format!("bakeoff-{}-{}-cold{n}", bench.engine.run_id(), bench.app.id)).await?;
                runs.push(run?);
            }
            bench.engine.unpause(&bench.container).await?;
            let median = |f: fn(&ColdStartRun) -> u64| median_u64(runs.iter().map(f).collect());
            result.cold_start = Some(ColdStartResult {
                workload: WorkloadKind::Search,
                rps,
                rps_why,
                median_tcp_accept_ms: median(|r| r.tcp_accept_ms),
                median_healthy_ms: median(|r| r.healthy_ms),
                median_first_search_ms: median(|r| r.first_search_ms),
                median_first_checkout_ms: median(|r| r.first_checkout_ms),
                median_settle_s: median_settle(runs.iter().map(|r| r.settle_s).collect()),
                runs,
            });
            Ok(())
        })
    }
}

/// One fresh container: the start-up milestones, then the warm-up curve.
async fn one_run(bench: &Bench<'_>, n: usize, rps: f64, curve_s: f64) -> Result<ColdStartRun> {
    let r = &bench.config.run;
    let limits = AppLimits::measured(bench.config);
    let spec = bench.stack.app_spec(bench.engine, bench.app, &limits, &format!("-cold{n}"));
    let started = Instant::now();
    bench.engine.start_container(&spec).await?;
    let ip = bench.engine.container_ip(&spec.name, &bench.stack.network).await?;
    let direct = SocketAddr::new(ip, bench.app.port);
    let deadline = started + limits.startup_timeout;
    let since = |at: Instant| at.duration_since(started).as_millis() as u64;
    let accepted = until(bench, &spec.name, deadline, "accepted a connection", || async { tokio::net::TcpStream::connect(direct).await.is_ok() }).await?;
    let pool = Pool::new(direct);
    let health = bench.app.health_path.clone();
    let healthy = until(bench, &spec.name, deadline, "answered its health path", || async {
        pool.exchange("GET", &health, None, None).await.is_ok_and(|a| a.status == 200)
    })
    .await?;
    let mut draw = Draw::new(bench.config.dataset.seed, 7_000 + n as u64);
    let search = Workload::new(WorkloadKind::Search, bench.catalogue.clone(), r.mix.clone()).action(&mut draw, String::new);
    let last = std::cell::RefCell::new(String::new());
    let tried = |action| {
        let (pool, last) = (&pool, &last);
        async move {
            let outcome = crate::load::engine::attempt(pool, action).await;
            outcome.map_err(|why| *last.borrow_mut() = why).is_ok()
        }
    };
    let searched = until(bench, &spec.name, deadline, "answered a search", || tried(&search)).await.map_err(|e| e.context(last.borrow().clone()))?;
    let key = format!("{}-cold{n}", bench.engine.run_id());
    let checkout = Workload::new(WorkloadKind::Checkout, bench.catalogue.clone(), r.mix.clone()).action(&mut draw, move || key);
    let checked_out = until(bench, &spec.name, deadline, "completed a checkout", || tried(&checkout))
        .await
        .map_err(|e| e.context(format!("its last checkout {}", last.borrow())))?;
    let port = bench.engine.host_port(&spec.name, bench.app.port).await?;
    let fresh = Bench {
        engine: bench.engine,
        db_engine: bench.db_engine,
        build_engine: bench.build_engine,
        config: bench.config,
        plan: bench.plan,
        app: bench.app,
        stack: bench.stack,
        container: spec.name.clone(),
        addr: SocketAddr::new(bench.addr.ip(), port),
        catalogue: bench.catalogue.clone(),
        dir: bench.dir,
        steady_rates: bench.steady_rates,
        load_hosts: bench.load_hosts,
        repetition: bench.repetition,
    };
    let phase = Phase {
        workload: WorkloadKind::Search,
        warmup: (rps, Duration::ZERO),
        profile: Profile::Constant { rps, duration_s: curve_s },
        label: format!("cold start {} curve", n + 1),
    };
    let measured = super::measure(&fresh, &phase).await?;
    let p99_per_second_us = crate::load::stats::p99_per_second_us(&measured.recorder.seconds);
    let settled_p99_us = crate::load::stats::p99_of_seconds(&measured.recorder.seconds[measured.recorder.seconds.len() * 2 / 3..]);
    Ok(ColdStartRun {
        tcp_accept_ms: since(accepted),
        healthy_ms: since(healthy),
        first_search_ms: since(searched),
        first_checkout_ms: since(checked_out),
        settle_s: settle_s(&measured.recorder.seconds, settled_p99_us),
        settled_p99_us,
        p99_per_second_us,
    })
}

/// Polls `probe` every 2 ms until it holds (the instant it did), failing when the container
/// exits or `deadline` passes.
async fn until<F, Fut>(bench: &Bench<'_>, container: &str, deadline: Instant, what: &str, mut probe: F) -> Result<Instant>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut tries = 0u32;
    loop {
        if probe().await {
            return Ok(Instant::now());
        }
        tries += 1;
        if tries.is_multiple_of(100) && !bench.engine.running(container).await? {
            let logs = bench.engine.last_logs(container, 30).await;
            bail!("{container} exited before it {what}; last log lines:\n{logs}");
        }
        if Instant::now() > deadline {
            bail!("{container} had not {what} after {} s (verify.startup_timeout_s)", bench.config.verify.startup_timeout_s);
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Seconds until the rolling [`ROLLING_S`]-second p99 is within [`SETTLED_WITHIN`] × `settled`
/// and stays there for the rest of the curve; None if it never does.
pub fn settle_s(seconds: &[Second], settled_p99_us: u64) -> Option<f64> {
    if seconds.len() < ROLLING_S {
        return None;
    }
    let bound = (settled_p99_us as f64 * SETTLED_WITHIN).max(1.0);
    let within: Vec<bool> = (0..=seconds.len() - ROLLING_S).map(|s| crate::load::stats::p99_of_seconds(&seconds[s..s + ROLLING_S]) as f64 <= bound).collect();
    let last_bad = within.iter().rposition(|ok| !ok);
    match last_bad {
        None => Some(0.0),
        Some(i) if i + 1 < within.len() => Some((i + 1) as f64),
        Some(_) => None,
    }
}

fn median_u64(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

fn median_settle(values: Vec<Option<f64>>) -> Option<f64> {
    let mut settled: Vec<f64> = values.iter().flatten().copied().collect();
    if settled.len() * 2 <= values.len() && settled.len() < values.len() {
        return None;
    }
    settled.sort_by(f64::total_cmp);
    settled.get(settled.len() / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(p_ms: &[u64]) -> Vec<Second> {
        p_ms.iter()
            .map(|&ms| {
                let mut s = Second { asked: 10, ..Default::default() };
                for _ in 0..10 {
                    s.response_us.record(ms * 1000).unwrap();
                }
                s
            })
            .collect()
    }

    #[test]
    fn a_curve_settles_once_the_rolling_p99_stays_within_one_point_two_times_the_final_level() {
        // 3 slow seconds (JIT), a blip at 5, settled at 10 ms from second 6 on.
        let curve = seconds(&[300, 120, 40, 10, 10, 30, 10, 10, 10, 10, 10, 10]);
        assert_eq!(settle_s(&curve, 10_000), Some(6.0));
        assert_eq!(settle_s(&seconds(&[10; 8]), 10_000), Some(0.0), "a runtime with no warm-up settles at once");
        assert_eq!(settle_s(&seconds(&[10, 10, 10, 10, 90, 90, 90]), 10_000), None, "slow at the end: never settled");
    }

    #[test]
    fn the_median_settle_time_is_null_when_most_runs_never_settled() {
        assert_eq!(median_settle(vec![Some(4.0), None, Some(6.0)]), Some(6.0));
        assert_eq!(median_settle(vec![Some(4.0), None, None]), None);
        assert_eq!(median_u64(vec![900, 300, 500]), 500);
    }
}
