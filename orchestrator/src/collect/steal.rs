//! CPU time the hypervisor took from this machine's virtual CPUs (`steal` in /proc/stat).
//!
//! On a virtual machine whose cores are not dedicated, the host now and then runs something else
//! on a virtual CPU that wanted to run: everything on it stops for milliseconds. No placement or
//! priority inside the machine helps (measured: the generator's lateness came in pauses of up to
//! 13 ms, with 3–5 % of each CPU stolen, on whichever CPU it ran). Each measured phase records
//! the steal per CPU so that a late generator or a noisy row is blamed on its true cause.

use std::time::Instant;

use procfs::{CurrentSI, KernelStats};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::load::LoadSummary;

/// A row counts as disturbed by the host when the hypervisor took at least this share of a CPU
/// the app, PostgreSQL or the generator ran on.
pub const HOST_STEAL_SHARE: f64 = 0.02;

/// Steal on one CPU during a measured phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CpuSteal {
    /// CPU number (the order of `cpuN` lines in /proc/stat).
    pub cpu: usize,
    /// CPU time the hypervisor ran something else while this CPU wanted to run.
    pub steal_ms: u64,
    /// `steal_ms` over the phase's wall time.
    pub share: f64,
}

/// Steal counters at the start of a phase.
pub struct StealMeter {
    started: Instant,
    before_ms: Vec<u64>,
}

impl StealMeter {
    /// Reads every CPU's steal counter now (none where /proc/stat is unreadable: not Linux).
    pub fn start() -> StealMeter {
        StealMeter { started: Instant::now(), before_ms: steal_ms_per_cpu() }
    }

    /// Steal per CPU since `start`.
    pub fn finish(self) -> Vec<CpuSteal> {
        let wall_ms = self.started.elapsed().as_millis().max(1) as f64;
        let after_ms = steal_ms_per_cpu();
        self.before_ms
            .iter()
            .zip(after_ms)
            .enumerate()
            .map(|(cpu, (before, after))| {
                let steal_ms = after.saturating_sub(*before);
                CpuSteal { cpu, steal_ms, share: steal_ms as f64 / wall_ms }
            })
            .collect()
    }
}

fn steal_ms_per_cpu() -> Vec<u64> {
    KernelStats::current().map(|stats| stats.cpu_time.iter().map(|cpu| cpu.steal_ms().unwrap_or(0)).collect()).unwrap_or_default()
}

/// Why a phase's numbers include pauses the host imposed: the CPUs among `used` the hypervisor
/// took at least [`HOST_STEAL_SHARE`] of.
pub fn host_steal(steal: &[CpuSteal], used: &[usize]) -> Option<String> {
    let heavy: Vec<String> =
        steal.iter().filter(|s| used.contains(&s.cpu) && s.share >= HOST_STEAL_SHARE).map(|s| format!("{:.1} % of CPU {}", 100.0 * s.share, s.cpu)).collect();
    (!heavy.is_empty()).then(|| {
        format!(
            "the hypervisor took {} during the phase (steal time): its latencies include pauses of the virtual machine, not only the app's",
            heavy.join(" and ")
        )
    })
}

/// Names the hypervisor as the cause when a late generator's CPU had time stolen.
pub fn explain_generator_lag(load: &mut LoadSummary, steal: &[CpuSteal], generator_cpus: &[usize]) {
    if !load.generator_limited {
        return;
    }
    let stolen: Vec<String> = steal
        .iter()
        .filter(|s| generator_cpus.contains(&s.cpu) && s.share >= HOST_STEAL_SHARE / 2.0)
        .map(|s| format!("{:.1} % of CPU {}", 100.0 * s.share, s.cpu))
        .collect();
    if !stolen.is_empty() {
        load.generator_limited_reasons.push(format!(
            "the hypervisor took {} (the generator's) during the phase: a virtual machine without dedicated cores pauses the generator; repeat on dedicated cores",
            stolen.join(" and ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn steal(cpu: usize, share: f64) -> CpuSteal {
        CpuSteal { cpu, steal_ms: (share * 25_000.0) as u64, share }
    }

    #[test]
    fn the_meter_reports_each_cpu_with_no_more_steal_than_the_wall_time() {
        let meter = StealMeter::start();
        std::thread::sleep(Duration::from_millis(50));
        let steal = meter.finish();
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(steal.len(), cpus, "{steal:?}");
        assert!(steal.iter().enumerate().all(|(i, s)| s.cpu == i && s.share <= 1.0), "{steal:?}");
    }

    #[test]
    fn steal_on_a_cpu_the_row_used_is_named_and_steal_elsewhere_is_not() {
        let measured = [steal(0, 0.045), steal(1, 0.001), steal(2, 0.3)];
        let reason = host_steal(&measured, &[0, 1]).expect("CPU 0 lost 4.5 %");
        assert!(reason.contains("4.5 % of CPU 0") && !reason.contains("CPU 2"), "{reason}");
        assert_eq!(host_steal(&measured, &[1]), None);
        assert_eq!(host_steal(&[], &[0, 1]), None, "no /proc/stat, no verdict");
    }

    #[test]
    fn a_late_generator_whose_cpu_lost_time_to_the_hypervisor_says_so() {
        let mut recorder = crate::load::Recorder::default();
        for _ in 0..100 {
            recorder.due(0, Duration::from_millis(4));
        }
        let mut load = crate::load::summarize("open", Some(10.0), Duration::from_secs(10), &recorder);
        assert!(load.generator_limited, "4 ms of lag is over the bound");
        explain_generator_lag(&mut load, &[steal(0, 0.0), steal(1, 0.04)], &[1]);
        let last = load.generator_limited_reasons.last().unwrap();
        assert!(last.contains("hypervisor took 4.0 % of CPU 1"), "{:?}", load.generator_limited_reasons);

        let mut on_time = crate::load::summarize("open", Some(10.0), Duration::from_secs(10), &crate::load::Recorder::default());
        explain_generator_lag(&mut on_time, &[steal(1, 0.04)], &[1]);
        assert!(on_time.generator_limited_reasons.is_empty(), "only a late generator gets the explanation");
    }
}
