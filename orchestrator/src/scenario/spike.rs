//! **spike** — a baseline (half the app's measured capacity, or a configured rate), then
//! `factor` × baseline for `spike_s`, then baseline again for `after_s`: p99 and errors of the
//! requests due inside the spike, the largest backlog, and the recovery time — from the end of
//! the spike until the per-second p99 is back within 1.5× the pre-spike p99 for two seconds in
//! a row (or "did not recover" within the window).

use anyhow::Result;
use futures_util::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bench, Phase, Scenario};
use crate::collect::{AppResult, WorkloadResult};
use crate::config::{Config, SpikeConfig};
use crate::load::{Profile, WorkloadKind};
use crate::run::Plan;

/// Per-second p99 counts as recovered within this factor of the pre-spike p99.
pub const RECOVERED_WITHIN: f64 = 1.5;

pub struct Spike;

/// What the spike did to one app.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SpikeResult {
    pub workload: WorkloadKind,
    pub base_rps: f64,
    /// Where the baseline came from, in words.
    pub base_rps_why: String,
    pub peak_rps: f64,
    pub before_s: f64,
    pub spike_s: f64,
    pub after_s: f64,
    /// p99 of the requests due before the spike.
    pub before_p99_us: u64,
    /// p99 of the requests due inside the spike.
    pub spike_p99_us: u64,
    /// Failed share of the requests due inside the spike.
    pub spike_error_rate: f64,
    /// The most requests in flight or waiting for a connection at once.
    pub max_outstanding: u64,
    /// Seconds from the end of the spike until the per-second p99 was back within 1.5× the
    /// pre-spike p99 (two seconds in a row); null: it did not recover within the window.
    pub recovery_s: Option<f64>,
    /// p99 of the requests due in each second of the phase.
    pub p99_per_second_us: Vec<u64>,
    /// The whole phase as a row (counts, percentiles, resources, flags, files).
    pub phase: WorkloadResult,
}

/// The spike's shape under `plan`: (before, spike, after) seconds.
fn shape(c: &SpikeConfig, plan: &Plan) -> (f64, f64, f64) {
    if plan.quick {
        (c.quick_before_s, c.quick_spike_s, c.quick_after_s)
    } else {
        (c.before_s, c.spike_s, c.after_s)
    }
}

impl Scenario for Spike {
    fn name(&self) -> &'static str {
        "spike"
    }

    fn expected_s(&self, config: &Config, plan: &Plan) -> f64 {
        let (before, spike, after) = shape(&config.run.scenarios.spike, plan);
        plan.warmup.as_secs_f64() + before + spike + after
    }

    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let c = &bench.config.run.scenarios.spike;
            let (before_s, spike_s, after_s) = shape(c, bench.plan);
            let (base_rps, base_rps_why) = super::moderate_rate(bench, result, c.workload, c.base_rps, "run.scenarios.spike.base_rps", 10.0);
            let peak_rps = base_rps * c.factor;
            let phase = Phase {
                workload: c.workload,
                warmup: (base_rps, bench.plan.warmup),
                profile: Profile::Spike { base_rps, peak_rps, duration_s: before_s + spike_s + after_s, at_s: before_s, spike_s },
                label: format!("spike {base_rps}→{peak_rps}/s"),
            };
            let measured = super::measure(bench, &phase).await?;
            let seconds = &measured.recorder.seconds;
            let (before_n, spike_end) = (before_s.floor() as usize, (before_s + spike_s).ceil() as usize);
            let before_p99_us = crate::load::stats::p99_of_seconds(&seconds[..before_n.min(seconds.len())]);
            let inside = &seconds[before_n.min(seconds.len())..spike_end.min(seconds.len())];
            let asked: u64 = inside.iter().map(|s| s.asked).sum();
            let failed: u64 = inside.iter().map(|s| s.errors.values().sum::<u64>()).sum();
            let p99_per_second_us = crate::load::stats::p99_per_second_us(seconds);
            let recovery_s = recovery_s(&p99_per_second_us, spike_end, before_p99_us);
            let spike_p99_us = crate::load::stats::p99_of_seconds(inside);
            let max_outstanding = measured.result.load.max_outstanding;
            let row = super::steady::write_files_as(bench, measured, "-spike")?;
            result.spike = Some(SpikeResult {
                workload: c.workload,
                base_rps,
                base_rps_why,
                peak_rps,
                before_s,
                spike_s,
                after_s,
                before_p99_us,
                spike_p99_us,
                spike_error_rate: if asked == 0 { 0.0 } else { failed as f64 / asked as f64 },
                max_outstanding,
                recovery_s,
                p99_per_second_us,
                phase: row,
            });
            Ok(())
        })
    }
}

/// Seconds from `spike_end` (a second index) until the per-second p99 is within
/// [`RECOVERED_WITHIN`] × `before_p99_us` two seconds in a row; None if it never is.
pub fn recovery_s(p99_per_second_us: &[u64], spike_end: usize, before_p99_us: u64) -> Option<f64> {
    let bound = (before_p99_us as f64 * RECOVERED_WITHIN).max(1.0);
    let within = |s: usize| p99_per_second_us.get(s).is_some_and(|&p| p as f64 <= bound);
    (spike_end..p99_per_second_us.len()).find(|&s| within(s) && within(s + 1)).map(|s| (s - spike_end) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_is_the_first_of_two_seconds_back_within_one_and_a_half_times_the_baseline() {
        // Baseline p99 10 ms; spike seconds 3..5; back under 15 ms from second 8 on (9 is a blip at 7).
        let p99 = [10_000, 11_000, 9_000, 200_000, 400_000, 300_000, 90_000, 14_000, 30_000, 12_000, 11_000, 10_000];
        assert_eq!(recovery_s(&p99, 5, 10_000), Some(4.0));
        assert_eq!(recovery_s(&p99[..10], 5, 10_000), None, "one good second at the end is not two in a row");
    }

    #[test]
    fn an_app_that_never_slowed_down_recovered_at_once_and_one_that_stays_slow_did_not_recover() {
        assert_eq!(recovery_s(&[5_000; 10], 4, 5_000), Some(0.0));
        assert_eq!(recovery_s(&[5_000, 5_000, 90_000, 90_000, 90_000, 90_000], 3, 5_000), None);
    }
}
