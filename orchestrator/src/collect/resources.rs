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
        ResourceSummary::of_segments(&[samples.to_vec()])
    }

    /// The summary of a container read in segments: a restart (deploy, database restart) ends
    /// one stats stream and the sampler opens another once the container is back. Each segment's
    /// first reading has no previous one to compute CPU from, and its network counters start
    /// again from zero.
    pub fn of_segments(segments: &[Vec<ResourceSample>]) -> ResourceSummary {
        let segments: Vec<&Vec<ResourceSample>> = segments.iter().filter(|s| !s.is_empty()).collect();
        let all: Vec<&ResourceSample> = segments.iter().flat_map(|s| s.iter()).collect();
        if all.is_empty() {
            return ResourceSummary::default();
        }
        let busy: Vec<&ResourceSample> =
            segments.iter().flat_map(|s| if s.len() > 1 { s[1..].iter().collect::<Vec<_>>() } else { s.iter().collect() }).collect();
        let n = busy.len() as f64;
        let delta = |pick: fn(&ResourceSample) -> u64| segments.iter().map(|s| pick(s.last().expect("non-empty")).saturating_sub(pick(&s[0]))).sum();
        ResourceSummary {
            samples: all.len() as u32,
            cpu_cores_mean: busy.iter().map(|s| s.cpu_cores).sum::<f64>() / n,
            cpu_cores_peak: busy.iter().map(|s| s.cpu_cores).fold(0.0, f64::max),
            memory_mean_bytes: (all.iter().map(|s| s.memory_bytes as f64).sum::<f64>() / all.len() as f64) as u64,
            memory_peak_bytes: all.iter().map(|s| s.memory_bytes).max().unwrap_or(0),
            net_rx_bytes: delta(|s| s.net_rx_bytes),
            net_tx_bytes: delta(|s| s.net_tx_bytes),
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
    task: JoinHandle<Vec<Vec<ResourceSample>>>,
}

impl Sampler {
    /// Reads `container`'s stats until finished; when the container stops and starts again (a
    /// deploy, a database restart), it reads the new run of it too.
    pub fn start(engine: &Engine, container: &str) -> Sampler {
        let (stop, mut stopped) = oneshot::channel();
        let (engine, container) = (engine.clone(), container.to_string());
        let task = tokio::spawn(async move {
            let mut segments = Vec::new();
            loop {
                let mut stream = Box::pin(engine.resource_samples(&container));
                let mut samples = Vec::new();
                let finished = loop {
                    tokio::select! {
                        _ = &mut stopped => break true,
                        next = stream.next() => match next {
                            // A stopped container reads as no memory at all: not a reading of it.
                            Some(sample) if sample.memory_bytes > 0 => samples.push(sample),
                            Some(_) => {}
                            None => break false,
                        },
                    }
                };
                segments.push(samples);
                if finished {
                    break;
                }
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tokio::time::sleep(std::time::Duration::from_millis(250)) => {}
                }
            }
            segments
        });
        Sampler { stop, task }
    }

    pub async fn finish(self) -> ResourceSummary {
        let _ = self.stop.send(());
        ResourceSummary::of_segments(&self.task.await.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(cpu: f64, mem: u64, rx: u64) -> ResourceSample {
        ResourceSample { cpu_cores: cpu, memory_bytes: mem, net_rx_bytes: rx, net_tx_bytes: 0 }
    }

    #[test]
    fn a_container_read_in_two_segments_counts_both_without_the_restarts_resets() {
        let before = vec![s(0.0, 100, 1000), s(0.5, 200, 1500)];
        let after = vec![s(0.0, 50, 0), s(0.9, 300, 700), s(0.3, 250, 900)];
        let summary = ResourceSummary::of_segments(&[before, Vec::new(), after]);
        assert_eq!(summary.samples, 5);
        assert_eq!(summary.readings.len(), 3, "each segment's first reading has no CPU figure");
        assert!((summary.cpu_cores_mean - (0.5 + 0.9 + 0.3) / 3.0).abs() < 1e-9, "{summary:?}");
        assert_eq!((summary.memory_peak_bytes, summary.net_rx_bytes), (300, 500 + 900), "{summary:?}");
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
