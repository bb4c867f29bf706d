//! **capacity** — the headline figure: per workload, the highest arrival rate at which p99 stays
//! within the workload's SLO, errors within `max_error_rate` and the app is not saturated. The
//! rate steps up geometrically from `start_rps` until a step breaks the SLO (down, when the first
//! already does), then bisects the bracket to within `precision`. Every step has its own warm-up
//! and measured window and is kept as the curve. A generator-limited step ends the search with
//! "≥ the last good rate": the generator's limit is never passed off as the app's.

use std::future::Future;
use std::time::Duration;

use anyhow::Result;
use futures_util::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bench, Phase, Scenario};
use crate::collect::{AppResult, WorkloadResult};
use crate::config::{CapacityConfig, Config};
use crate::load::{Profile, WorkloadKind};
use crate::run::Plan;

/// Steps down from the start rate at most this many times before giving up ("below").
const MAX_STEPS_DOWN: usize = 3;
/// A generator-limited step is measured again this many times before it ends the search.
const GENERATOR_RETRIES: usize = 2;
/// Steps of one search at most (a bound on its duration whatever the numbers do).
const MAX_STEPS: usize = 16;

pub struct Capacity;

/// One rate tried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CapacityStep {
    /// Arrival rate asked.
    pub rps: f64,
    /// Answers per second that arrived within the measured window.
    pub throughput_rps: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub error_rate: f64,
    /// Mean share of its CPU quota the app used.
    pub app_cpu_share: f64,
    /// Mean share of its CPU quota PostgreSQL used.
    pub db_cpu_share: f64,
    pub saturated: bool,
    pub db_saturated: bool,
    pub generator_limited: bool,
    /// p99 within the SLO, errors within the bound, the app not saturated, the generator not limited.
    pub passed: bool,
    /// Why the step failed, in words (empty when it passed).
    pub verdict: String,
    /// The measured window second by second: p99 (µs), good answers, failures.
    #[serde(default)]
    pub p99_per_second_us: Vec<u64>,
    #[serde(default)]
    pub ok_per_second: Vec<u64>,
    #[serde(default)]
    pub failed_per_second: Vec<u64>,
}

#[cfg(test)]
impl CapacityStep {
    /// A made-up step at `rps`/s with this p99 and verdict (for tests).
    pub fn made_up(rps: f64, p99_us: u64, passed: bool) -> CapacityStep {
        CapacityStep {
            rps,
            throughput_rps: rps,
            p50_us: p99_us / 10,
            p99_us,
            error_rate: 0.0,
            app_cpu_share: 0.0,
            db_cpu_share: 0.0,
            saturated: false,
            db_saturated: false,
            generator_limited: false,
            passed,
            verdict: String::new(),
            p99_per_second_us: vec![p99_us; 3],
            ok_per_second: vec![rps as u64; 3],
            failed_per_second: vec![0; 3],
        }
    }
}

/// How far the search got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The capacity is bracketed within the configured precision.
    Found,
    /// The search stopped before a failing rate (generator-limited, or `max_rps` reached): the
    /// capacity is at least `capacity_rps`.
    AtLeast,
    /// Even the lowest rate tried broke the SLO: the capacity is below it.
    Below,
}

/// One workload's capacity on one app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CapacityResult {
    pub workload: WorkloadKind,
    /// The p99 a rate had to keep, in ms.
    pub slo_p99_ms: f64,
    pub max_error_rate: f64,
    /// The highest rate that met the SLO; null when none did.
    pub capacity_rps: Option<f64>,
    pub bound: Bound,
    /// What limited the search, in words.
    pub note: String,
    /// Every rate tried, in the order tried.
    pub steps: Vec<CapacityStep>,
}

impl CapacityResult {
    /// A result with no steps yet.
    pub fn empty(workload: WorkloadKind, slo_p99_ms: f64, max_error_rate: f64) -> CapacityResult {
        CapacityResult { workload, slo_p99_ms, max_error_rate, capacity_rps: None, bound: Bound::Below, note: String::new(), steps: Vec::new() }
    }
}

/// The search's parameters.
#[derive(Debug, Clone)]
pub struct Search {
    pub start_rps: f64,
    pub growth: f64,
    pub precision: f64,
    pub max_rps: f64,
}

/// What a search found: capacity, bound, note, and the steps.
pub struct Found {
    pub capacity_rps: Option<f64>,
    pub bound: Bound,
    pub note: String,
    pub steps: Vec<CapacityStep>,
}

/// Steps and bisects with `try_rate` (which measures one rate) until the capacity is bracketed.
pub async fn search<F, Fut>(params: &Search, mut try_rate: F) -> Result<Found>
where
    F: FnMut(f64) -> Fut,
    Fut: Future<Output = Result<CapacityStep>>,
{
    let mut steps: Vec<CapacityStep> = Vec::new();
    let (mut good, mut bad): (Option<f64>, Option<f64>) = (None, None);
    let mut rate = round(params.start_rps);
    let mut downs = 0;
    let found = |steps: Vec<CapacityStep>, good: Option<f64>, bound: Bound, note: String| Ok(Found { capacity_rps: good, bound, note, steps });
    loop {
        if steps.len() >= MAX_STEPS {
            return found(steps, good, Bound::AtLeast, format!("stopped after {MAX_STEPS} steps"));
        }
        let step = try_rate(rate).await?;
        let (passed, limited) = (step.passed, step.generator_limited);
        steps.push(step);
        let late_at_this_rate = steps.iter().rev().take_while(|s| s.rps == rate && s.generator_limited).count();
        if limited && late_at_this_rate <= GENERATOR_RETRIES {
            // One pause of the host in a short step should not end the search: measure again.
            continue;
        }
        if limited {
            let note = format!("the generator was limited at {rate}/s: the capacity is at least the last good rate, not a number the app reached");
            return found(steps, good, Bound::AtLeast, note);
        }
        if passed {
            good = Some(good.map_or(rate, |g: f64| g.max(rate)));
        } else {
            bad = Some(bad.map_or(rate, |b: f64| b.min(rate)));
        }
        rate = match (good, bad) {
            (Some(g), Some(b)) if b / g <= 1.0 + params.precision => break,
            (Some(g), Some(b)) => round((g * b).sqrt()),
            (Some(g), None) if g * params.growth > params.max_rps => {
                return found(steps, good, Bound::AtLeast, format!("met the SLO up to max_rps ({}/s)", params.max_rps));
            }
            (Some(g), None) => round(g * params.growth),
            (None, Some(b)) if downs >= MAX_STEPS_DOWN => {
                return found(steps, None, Bound::Below, format!("broke the SLO even at {b}/s"));
            }
            (None, Some(b)) => {
                downs += 1;
                round(b / params.growth)
            }
            (None, None) => unreachable!("every step passes or fails"),
        };
    }
    let (g, b) = (good.unwrap_or(0.0), bad.unwrap_or(0.0));
    found(steps, good, Bound::Found, format!("met the SLO at {g}/s, broke it at {b}/s"))
}

/// Rates to one decimal.
fn round(rps: f64) -> f64 {
    ((rps * 10.0).round() / 10.0).max(0.1)
}

/// Judges a measured step against the SLO.
pub fn step_of(w: &WorkloadResult, rps: f64, slo_p99_ms: f64, max_error_rate: f64) -> CapacityStep {
    let l = &w.load;
    let p99_ms = l.response_time.p99_us as f64 / 1000.0;
    let mut why = Vec::new();
    if p99_ms > slo_p99_ms {
        why.push(format!("p99 {p99_ms:.1} ms > {slo_p99_ms} ms"));
    }
    if l.error_rate > max_error_rate {
        why.push(format!("error rate {:.2} % > {:.2} %", 100.0 * l.error_rate, 100.0 * max_error_rate));
    }
    if l.saturated {
        why.push(format!("saturated ({})", l.saturated_reasons.join("; ")));
    }
    if l.generator_limited {
        why.push(format!("generator-limited ({})", l.generator_limited_reasons.join("; ")));
    }
    if w.db_saturated {
        why.push("PostgreSQL at ≥ 90 % of its CPU".into());
    }
    let passed = p99_ms <= slo_p99_ms && l.error_rate <= max_error_rate && !l.saturated && !l.generator_limited;
    CapacityStep {
        rps,
        throughput_rps: l.throughput_rps,
        p50_us: l.response_time.p50_us,
        p99_us: l.response_time.p99_us,
        error_rate: l.error_rate,
        app_cpu_share: w.app_resources.cpu_quota_share_mean,
        db_cpu_share: w.postgres_resources.cpu_quota_share_mean,
        saturated: l.saturated,
        db_saturated: w.db_saturated,
        generator_limited: l.generator_limited,
        passed,
        verdict: if passed { String::new() } else { why.join("; ") },
        p99_per_second_us: Vec::new(),
        ok_per_second: Vec::new(),
        failed_per_second: Vec::new(),
    }
}

impl CapacityStep {
    /// The step with its measured window's per-second series.
    pub fn with_seconds(self, seconds: &[crate::load::stats::Second]) -> CapacityStep {
        let (ok_per_second, failed_per_second) = crate::load::stats::ok_and_failed_per_second(seconds);
        CapacityStep { p99_per_second_us: crate::load::stats::p99_per_second_us(seconds), ok_per_second, failed_per_second, ..self }
    }
}

/// Step windows, precision and growth under `plan`.
fn windows(c: &CapacityConfig, plan: &Plan) -> (Duration, Duration, f64, f64) {
    let (warmup, measure, precision, growth) = if plan.quick {
        (c.quick_step_warmup_s, c.quick_step_measure_s, c.quick_precision, c.quick_growth)
    } else {
        (c.step_warmup_s, c.step_measure_s, c.precision, c.growth)
    };
    (Duration::from_secs_f64(warmup), Duration::from_secs_f64(measure), precision, growth)
}

impl Scenario for Capacity {
    fn name(&self) -> &'static str {
        "capacity"
    }

    fn expected_s(&self, config: &Config, plan: &Plan) -> f64 {
        let (warmup, measure, _, _) = windows(&config.run.scenarios.capacity, plan);
        // About nine steps per workload, stepping up then bisecting; seven with --quick's ×4 steps.
        let steps = if plan.quick { 7.0 } else { 9.0 };
        config.run.workloads.len() as f64 * steps * (warmup + measure).as_secs_f64()
    }

    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let c = &bench.config.run.scenarios.capacity;
            let (warmup, measure, precision, growth) = windows(c, bench.plan);
            for &kind in bench.config.run.workloads.keys() {
                let slo = c.slo_p99_ms.get(&kind).copied().unwrap_or(100.0);
                let params = Search { start_rps: c.start_rps.get(&kind).copied().unwrap_or(10.0), growth, precision, max_rps: c.max_rps };
                let found = search(&params, |rps| async move {
                    let phase = Phase {
                        workload: kind,
                        warmup: (rps, warmup),
                        profile: Profile::Constant { rps, duration_s: measure.as_secs_f64() },
                        label: format!("capacity {rps}/s"),
                    };
                    let measured = super::measure(bench, &phase).await?;
                    let step = step_of(&measured.result, rps, slo, c.max_error_rate).with_seconds(&measured.recorder.seconds);
                    if !step.passed {
                        // Let a backlog the app built up drain before the next rate.
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    Ok(step)
                })
                .await?;
                let note = match found.steps.iter().find(|s| !s.passed && s.db_saturated) {
                    Some(s) => format!("{}; PostgreSQL was at ≥ 90 % of its CPU at {}/s: the limit is the database's", found.note, s.rps),
                    None => found.note,
                };
                result.capacity.push(CapacityResult {
                    workload: kind,
                    slo_p99_ms: slo,
                    max_error_rate: c.max_error_rate,
                    capacity_rps: found.capacity_rps,
                    bound: found.bound,
                    note,
                    steps: found.steps,
                });
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
