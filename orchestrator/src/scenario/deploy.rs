//! **deploy** — the time a developer waits: a full image build without the build cache (time,
//! image size; skipped in `--quick` unless configured), a rebuild after a one-line change to the
//! manifest's `touch_file` (a comment appended in a copy of the build context), and a restart
//! under steady load: SIGTERM to the app's container (SIGKILL after the grace period), then a new
//! container of the same image on the same host port, while the load generator keeps sending.
//! The new container takes the old one's name and published port, so the generator's address
//! and every later scenario's bench stay valid; until it answers, requests fail as connect or
//! I/O errors. Check images are built under their own tag and removed again.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bench, Phase, Scenario};
use crate::collect::{AppResult, WorkloadResult};
use crate::config::{Config, DeployConfig};
use crate::images::apps;
use crate::load::{Profile, WorkloadKind};
use crate::run::Plan;
use crate::stack::{AppLimits, RunningApp};

/// Rough seconds for the builds, for the estimate printed before a run.
const NO_CACHE_BUILD_S: f64 = 120.0;
const INCREMENTAL_BUILD_S: f64 = 20.0;

pub struct Deploy;

/// What deploying a change to one app costs.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DeployResult {
    /// Wall time of a full build of the app's image without the build cache; null when skipped.
    pub no_cache_build_ms: Option<u64>,
    /// Why the no-cache build did not run (`--quick`); null when it ran.
    pub no_cache_skipped_reason: Option<String>,
    /// Size of the image the no-cache build made (when skipped: of the rebuilt image; the two
    /// differ by one comment line).
    pub image_size_bytes: u64,
    /// The file that got one comment line appended (in a copy), relative to the app's folder.
    pub touched_file: String,
    /// Wall time of the rebuild after that change, with the build cache.
    pub incremental_build_ms: u64,
    pub workload: WorkloadKind,
    /// Constant arrival rate during the restart.
    pub rps: f64,
    /// Where the rate came from, in words.
    pub rps_why: String,
    /// Seconds of load before SIGTERM, and after it.
    pub before_s: f64,
    pub after_s: f64,
    /// Seconds between SIGTERM and SIGKILL.
    pub grace_s: u32,
    /// Requests due during the phase.
    pub requests: u64,
    /// Requests that did not get a good answer, in total and by class (`connect`, `io`, …).
    pub failed_requests: u64,
    pub failed_by_class: BTreeMap<String, u64>,
    /// The longest run of consecutive seconds in which requests failed, each second counted by
    /// its share of requests without a good answer (a second with none counts 1, one with 40 %
    /// good counts 0.6): at a constant rate, with the failures in one block, the time without a
    /// successful answer to within 1/rate.
    pub seconds_without_success: f64,
    /// Good answers came again after that run, within the phase.
    pub answered_again: bool,
    /// From SIGTERM until the old container had stopped.
    pub stop_ms: u64,
    /// The old container's exit code (137: killed after the grace period).
    pub old_exit_code: i64,
    /// From SIGTERM until the new container answered its health path.
    pub restart_ms: u64,
    /// Good answers among the requests due in each second of the phase.
    pub ok_per_second: Vec<u64>,
    /// The whole phase as a row (counts, percentiles, resources, flags, files).
    pub phase: WorkloadResult,
}

/// The phase's shape under `plan`: (before, after) seconds.
fn shape(c: &DeployConfig, plan: &Plan) -> (f64, f64) {
    if plan.quick {
        (c.quick_before_s, c.quick_after_s)
    } else {
        (c.before_s, c.after_s)
    }
}

/// Whether the no-cache build runs, and if not, why.
fn no_cache_skipped(c: &DeployConfig, plan: &Plan) -> Option<String> {
    (plan.quick && !c.quick_no_cache_build)
        .then(|| "skipped in --quick (it takes minutes; set run.scenarios.deploy.quick_no_cache_build to run it)".to_string())
}

impl Scenario for Deploy {
    fn name(&self) -> &'static str {
        "deploy"
    }

    fn expected_s(&self, config: &Config, plan: &Plan) -> f64 {
        let c = &config.run.scenarios.deploy;
        let (before, after) = shape(c, plan);
        let no_cache = if no_cache_skipped(c, plan).is_some() { 0.0 } else { NO_CACHE_BUILD_S };
        no_cache + INCREMENTAL_BUILD_S + before + after
    }

    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let c = &bench.config.run.scenarios.deploy;
            let skipped = no_cache_skipped(c, bench.plan);
            let no_cache = match skipped {
                None => Some(check_build(bench, true, false).await?),
                Some(_) => None,
            };
            let incremental = check_build(bench, false, true).await?;
            let (before_s, after_s) = shape(c, bench.plan);
            let (rps, rps_why) = super::moderate_rate(bench, result, c.workload, c.rps, "run.scenarios.deploy.rps", 10.0);
            let phase = Phase {
                workload: c.workload,
                warmup: (rps, Duration::ZERO),
                profile: Profile::Constant { rps, duration_s: before_s + after_s },
                label: format!("deploy restart at {before_s} s, {rps}/s"),
            };
            let (measured, restarted) = tokio::join!(super::measure(bench, &phase), restart_after(bench, before_s, c.grace_s));
            let (measured, restarted) = (measured?, restarted?);
            let per_second: Vec<(u64, u64)> = measured.recorder.seconds.iter().map(|s| (s.asked, s.ok)).collect();
            let gap = longest_gap(&per_second);
            let load = &measured.result.load;
            let (requests, failed_by_class) = (load.asked, load.errors.clone());
            let row = super::steady::write_files_as(bench, measured, "-deploy")?;
            result.deploy = Some(DeployResult {
                no_cache_build_ms: no_cache.map(|(ms, _)| ms),
                no_cache_skipped_reason: skipped,
                image_size_bytes: no_cache.map_or(incremental.1, |(_, size)| size),
                touched_file: bench.app.touch_file.display().to_string(),
                incremental_build_ms: incremental.0,
                workload: c.workload,
                rps,
                rps_why,
                before_s,
                after_s,
                grace_s: c.grace_s,
                requests,
                failed_requests: failed_by_class.values().sum(),
                failed_by_class,
                seconds_without_success: gap.seconds,
                answered_again: gap.answered_again,
                stop_ms: restarted.stop.as_millis() as u64,
                old_exit_code: restarted.exit_code,
                restart_ms: restarted.healthy.as_millis() as u64,
                ok_per_second: per_second.iter().map(|&(_, ok)| ok).collect(),
                phase: row,
            });
            Ok(())
        })
    }
}

/// A timed check build of the bench's app (see [`apps::timed_check_build`]).
async fn check_build(bench: &Bench<'_>, no_cache: bool, touched: bool) -> Result<(u64, u64)> {
    apps::timed_check_build(bench.build_engine, bench.app, no_cache, touched).await
}

/// How the restart went.
struct Restarted {
    stop: Duration,
    exit_code: i64,
    healthy: Duration,
}

/// After `before_s`, stops the bench's container (SIGTERM, SIGKILL after `grace_s`), removes it,
/// and starts a new one of the same image under the same name on the same host port.
async fn restart_after(bench: &Bench<'_>, before_s: f64, grace_s: u32) -> Result<Restarted> {
    tokio::time::sleep(Duration::from_secs_f64(before_s)).await;
    let (engine, name) = (bench.engine, &bench.container);
    let sigterm = Instant::now();
    let (exit_code, stop) = engine.stop_container(name, grace_s as i32).await?;
    engine.remove_container(name).await?;
    let limits = AppLimits::measured(bench.config);
    let started = bench.stack.start_app_on(engine, bench.app, &limits, Some(bench.addr.port())).await;
    let RunningApp { container, .. } =
        started.with_context(|| format!("starting a new {} container on port {} after the restart", bench.app.id, bench.addr.port()))?;
    anyhow::ensure!(container == *name, "the new container is {container}, not {name}: later scenarios would lose it");
    Ok(Restarted { stop, exit_code, healthy: sigterm.elapsed() })
}

/// The longest run of failing seconds (see [`DeployResult::seconds_without_success`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    pub seconds: f64,
    /// A second with only good answers came after the run.
    pub answered_again: bool,
}

/// The longest run of consecutive seconds with a failed request, from `(asked, ok)` per second;
/// each second counts by its share without a good answer. Seconds with nothing due neither
/// count nor break a run.
pub fn longest_gap(per_second: &[(u64, u64)]) -> Gap {
    let (mut best, mut best_end, mut run) = (0.0, None, 0.0);
    for (i, &(asked, ok)) in per_second.iter().enumerate() {
        if asked == 0 {
            continue;
        }
        if ok >= asked {
            run = 0.0;
            continue;
        }
        run += 1.0 - ok as f64 / asked as f64;
        if run > best {
            (best, best_end) = (run, Some(i));
        }
    }
    let answered_again = best_end.is_none_or(|end| per_second[end + 1..].iter().any(|&(asked, ok)| asked > 0 && ok >= asked));
    Gap { seconds: (best * 100.0).round() / 100.0, answered_again }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_counts_whole_dead_seconds_and_the_failed_share_of_the_seconds_at_its_edges() {
        // 10/s; SIGTERM in second 3 (6 answered), nothing in 4 and 5, the new container in 6 (3 answered).
        let seconds = [(10, 10), (10, 10), (10, 10), (10, 6), (10, 0), (10, 0), (10, 3), (10, 10), (10, 10)];
        assert_eq!(longest_gap(&seconds), Gap { seconds: 3.1, answered_again: true });
    }

    #[test]
    fn an_app_that_never_came_back_has_an_open_gap_and_one_that_never_failed_has_none() {
        let never_back = [(10, 10), (10, 4), (10, 0), (10, 0)];
        assert_eq!(longest_gap(&never_back), Gap { seconds: 2.6, answered_again: false });
        assert_eq!(longest_gap(&[(10, 10); 5]), Gap { seconds: 0.0, answered_again: true });
    }

    #[test]
    fn a_lone_failure_elsewhere_does_not_join_the_restarts_gap_and_idle_seconds_do_not_break_it() {
        let seconds = [(10, 9), (10, 10), (10, 5), (0, 0), (10, 0), (10, 10)];
        assert_eq!(longest_gap(&seconds), Gap { seconds: 1.5, answered_again: true });
    }

    #[test]
    fn quick_skips_the_no_cache_build_and_says_so_unless_configured() {
        let mut c = Config::defaults().run.scenarios.deploy;
        let quick = Plan { quick: true, products: 1, warmup: Duration::ZERO, measure: Duration::ZERO, repeat: 1, queries: None };
        assert!(no_cache_skipped(&c, &quick).is_some_and(|why| why.contains("--quick")));
        assert_eq!(no_cache_skipped(&c, &Plan { quick: false, ..quick.clone() }), None);
        c.quick_no_cache_build = true;
        assert_eq!(no_cache_skipped(&c, &quick), None);
    }
}
