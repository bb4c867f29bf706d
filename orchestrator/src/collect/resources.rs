//! Sampling the app's and the database's resource use during a measured phase.

use futures_util::StreamExt;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::docker::{Engine, ResourceSample};

/// A container's resource use over a phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResourceSummary {
    /// Stats readings taken (about one a second).
    pub samples: u32,
    pub cpu_cores_mean: f64,
    pub cpu_cores_peak: f64,
    pub memory_mean_bytes: u64,
    pub memory_peak_bytes: u64,
    /// Network bytes received and sent during the phase.
    pub net_rx_bytes: u64,
    pub net_tx_bytes: u64,
    /// Cores the container may use (its CPU quota, or the CPUs of its cpuset).
    pub cpu_quota_cores: f64,
    /// Mean CPU use as a share of that quota (1.0: every core it may use was busy).
    pub cpu_quota_share_mean: f64,
    /// Every reading after the first, in order (about one a second): the timeline of the phase.
    #[serde(default)]
    pub readings: Vec<Reading>,
}

/// One stats reading.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reading {
    pub cpu_cores: f64,
    pub memory_bytes: u64,
}

impl ResourceSummary {
    pub fn of(samples: &[ResourceSample]) -> ResourceSummary {
        // The first reading has no previous one to compute CPU from.
        let Some((first, rest)) = samples.split_first() else { return ResourceSummary::default() };
        let busy: Vec<&ResourceSample> = if rest.is_empty() { vec![first] } else { rest.iter().collect() };
        let n = busy.len() as f64;
        let last = samples.last().expect("non-empty");
        ResourceSummary {
            samples: samples.len() as u32,
            cpu_cores_mean: busy.iter().map(|s| s.cpu_cores).sum::<f64>() / n,
            cpu_cores_peak: busy.iter().map(|s| s.cpu_cores).fold(0.0, f64::max),
            memory_mean_bytes: (samples.iter().map(|s| s.memory_bytes as f64).sum::<f64>() / samples.len() as f64) as u64,
            memory_peak_bytes: samples.iter().map(|s| s.memory_bytes).max().unwrap_or(0),
            net_rx_bytes: last.net_rx_bytes.saturating_sub(first.net_rx_bytes),
            net_tx_bytes: last.net_tx_bytes.saturating_sub(first.net_tx_bytes),
            cpu_quota_cores: 0.0,
            cpu_quota_share_mean: 0.0,
            readings: busy.iter().map(|s| Reading { cpu_cores: s.cpu_cores, memory_bytes: s.memory_bytes }).collect(),
        }
    }

    /// The same summary, its CPU use set against a quota of `cores`.
    pub fn against_quota(self, cores: f64) -> ResourceSummary {
        let share = if cores > 0.0 { self.cpu_cores_mean / cores } else { 0.0 };
        ResourceSummary { cpu_quota_cores: cores, cpu_quota_share_mean: share, ..self }
    }
}

/// Cores a container may use: its quota when set, otherwise the CPUs of its cpuset (`"1"`,
/// `"0-3,6"`), otherwise every core of the machine.
pub fn quota_cores(cpus: Option<f64>, cpuset: &str, machine_cores: usize) -> f64 {
    let in_set = cpus_in(cpuset).len();
    let from_set = if in_set == 0 { machine_cores as f64 } else { in_set as f64 };
    cpus.filter(|c| *c > 0.0).map_or(from_set, |c| c.min(from_set))
}

/// The CPU numbers of a cpuset (`"1"`, `"0-3,6"`); empty for none or for what does not parse.
pub fn cpus_in(cpuset: &str) -> Vec<usize> {
    let part = |part: &str| -> Option<std::ops::RangeInclusive<usize>> {
        match part.trim().split_once('-') {
            Some((a, b)) => Some(a.trim().parse().ok()?..=b.trim().parse().ok()?),
            None => part.trim().parse().ok().map(|c| c..=c),
        }
    };
    cpuset.split(',').filter_map(part).flatten().collect()
}

/// A background sampler of one container; `finish` stops it and returns what it saw.
pub struct Sampler {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Vec<ResourceSample>>,
}

impl Sampler {
    pub fn start(engine: &Engine, container: &str) -> Sampler {
        let (stop, mut stopped) = oneshot::channel();
        let mut stream = Box::pin(engine.resource_samples(container));
        let task = tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    next = stream.next() => match next {
                        Some(sample) => samples.push(sample),
                        None => break,
                    },
                }
            }
            samples
        });
        Sampler { stop, task }
    }

    pub async fn finish(self) -> ResourceSummary {
        let _ = self.stop.send(());
        ResourceSummary::of(&self.task.await.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(cpu: f64, mem: u64, rx: u64) -> ResourceSample {
        ResourceSample { cpu_cores: cpu, memory_bytes: mem, net_rx_bytes: rx, net_tx_bytes: 0 }
    }

    #[test]
    fn the_summary_skips_the_first_cpu_reading_and_takes_deltas_of_network_counters() {
        let summary = ResourceSummary::of(&[s(0.0, 100, 1_000), s(0.5, 300, 3_000), s(1.5, 200, 6_000)]);
        assert_eq!(summary.samples, 3);
        assert!((summary.cpu_cores_mean - 1.0).abs() < 1e-9);
        assert_eq!(summary.cpu_cores_peak, 1.5);
        assert_eq!(summary.memory_peak_bytes, 300);
        assert_eq!(summary.net_rx_bytes, 5_000);
        let timeline: Vec<(f64, u64)> = summary.readings.iter().map(|r| (r.cpu_cores, r.memory_bytes)).collect();
        assert_eq!(timeline, [(0.5, 300), (1.5, 200)], "the readings after the first, in order");
    }

    #[test]
    fn a_cpuset_lists_its_cpus_and_an_unreadable_one_lists_none() {
        assert_eq!(cpus_in("0-3,6"), vec![0, 1, 2, 3, 6]);
        assert_eq!(cpus_in("1"), vec![1]);
        assert!(cpus_in("").is_empty() && cpus_in("x").is_empty());
    }

    #[test]
    fn cpu_is_set_against_the_quota_or_the_cpuset() {
        assert_eq!(quota_cores(Some(1.0), "0", 2), 1.0);
        assert_eq!(quota_cores(None, "1", 2), 1.0);
        assert_eq!(quota_cores(None, "0-3,6", 8), 5.0);
        assert_eq!(quota_cores(Some(0.5), "0-1", 2), 0.5);
        assert_eq!(quota_cores(None, "", 2), 2.0);
        let summary = ResourceSummary::of(&[s(0.0, 1, 0), s(0.95, 1, 0)]).against_quota(1.0);
        assert!((summary.cpu_quota_share_mean - 0.95).abs() < 1e-9);
    }

    #[test]
    fn no_samples_give_an_empty_summary() {
        assert_eq!(ResourceSummary::of(&[]), ResourceSummary::default());
    }
}
