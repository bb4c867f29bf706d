//! **steady** — each workload at one constant rate, the same for every app and below every app's
//! knee (half the lowest capacity measured, unless the config sets a rate): latency percentiles,
//! errors and resource use at a load every framework can carry.

use anyhow::Result;
use futures_util::future::LocalBoxFuture;

use super::{Bench, Phase, Scenario};
use crate::collect::{AppResult, WorkloadResult};
use crate::config::Config;
use crate::load::Profile;
use crate::report;
use crate::run::Plan;

pub struct Steady;

impl Scenario for Steady {
    fn name(&self) -> &'static str {
        "steady"
    }

    fn expected_s(&self, config: &Config, plan: &Plan) -> f64 {
        config.run.workloads.len() as f64 * (plan.warmup + plan.measure).as_secs_f64()
    }

    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(async move {
            for (&kind, rate) in bench.steady_rates {
                let phase = Phase {
                    workload: kind,
                    warmup: (rate.rps, bench.plan.warmup),
                    profile: Profile::Constant { rps: rate.rps, duration_s: bench.plan.measure.as_secs_f64() },
                    label: "steady".into(),
                };
                let measured = super::measure(bench, &phase).await?;
                result.workloads.push(write_files(bench, measured)?);
            }
            Ok(())
        })
    }
}

/// Writes a phase's histogram and per-second files next to run.json and names them in its row.
pub fn write_files(bench: &Bench<'_>, measured: super::Measured) -> Result<WorkloadResult> {
    write_files_as(bench, measured, "")
}

/// [`write_files`] with a suffix on the file names (`-spike`, `-capacity-120`).
pub fn write_files_as(bench: &Bench<'_>, measured: super::Measured, suffix: &str) -> Result<WorkloadResult> {
    let repetition = if bench.repetition > 0 { format!("-r{}", bench.repetition + 1) } else { String::new() };
    let stem = format!("{}-{}{suffix}{repetition}", bench.app.id, measured.result.workload.name());
    let (histogram_file, intervals_file) = (format!("{stem}.hgrm"), format!("{stem}.intervals.csv"));
    std::fs::write(bench.dir.join(&histogram_file), report::hgrm::distribution(&measured.recorder))?;
    std::fs::write(bench.dir.join(&intervals_file), report::intervals::csv(&measured.recorder))?;
    Ok(WorkloadResult { histogram_file, intervals_file, ..measured.result })
}
