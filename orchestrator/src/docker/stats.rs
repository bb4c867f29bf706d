//! Resource samples of a running container from the engine's stats stream (one a second).

use bollard::models::ContainerStatsResponse;
use bollard::query_parameters as q;
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};

use super::Engine;

/// One stats reading of a container.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceSample {
    /// CPU cores in use over the last interval (1.0 = one core fully busy).
    pub cpu_cores: f64,
    /// Working set: memory in use minus inactive page cache, in bytes.
    pub memory_bytes: u64,
    /// Bytes received and sent since the container started.
    pub net_rx_bytes: u64,
    pub net_tx_bytes: u64,
}

impl Engine {
    /// The container's stats, one sample about every second, until it stops or the stream is dropped.
    pub fn resource_samples(&self, name: &str) -> impl Stream<Item = ResourceSample> + Send + 'static {
        let options = q::StatsOptionsBuilder::default().stream(true).one_shot(false).build();
        self.docker.stats(name, Some(options)).filter_map(|s| async move { s.ok().map(|s| sample(&s)) })
    }
}

fn sample(stats: &ContainerStatsResponse) -> ResourceSample {
    let cpu = |s: &Option<bollard::models::ContainerCpuStats>| {
        let s = s.as_ref();
        let total = s.and_then(|c| c.cpu_usage.as_ref()).and_then(|u| u.total_usage).unwrap_or(0);
        (total, s.and_then(|c| c.system_cpu_usage).unwrap_or(0), s.and_then(|c| c.online_cpus).unwrap_or(1))
    };
    let ((total, system, cpus), (pre_total, pre_system, _)) = (cpu(&stats.cpu_stats), cpu(&stats.precpu_stats));
    let system_delta = system.saturating_sub(pre_system);
    let cpu_cores = if system_delta == 0 || pre_total == 0 { 0.0 } else { total.saturating_sub(pre_total) as f64 / system_delta as f64 * f64::from(cpus) };
    let memory = stats.memory_stats.as_ref();
    let usage = memory.and_then(|m| m.usage).unwrap_or(0);
    let inactive = memory.and_then(|m| m.stats.as_ref()).and_then(|s| s.get("total_inactive_file").or_else(|| s.get("inactive_file")).copied()).unwrap_or(0);
    let networks = stats.networks.as_ref();
    let sum = |f: fn(&bollard::models::ContainerNetworkStats) -> Option<u64>| networks.map(|n| n.values().filter_map(f).sum()).unwrap_or(0);
    ResourceSample { cpu_cores, memory_bytes: usage.saturating_sub(inactive), net_rx_bytes: sum(|n| n.rx_bytes), net_tx_bytes: sum(|n| n.tx_bytes) }
}
