//! The load engine: open-model arrival schedules with honest percentiles (latency from the
//! intended send time), a closed-loop mode for comparison, and the generator-limited flag.

mod conn;
pub mod engine;
pub mod fixture;
pub mod schedule;
pub mod stats;
pub mod workload;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use engine::EngineConfig;
pub use schedule::{Profile, Schedule};
pub use stats::{Percentiles, Recorder};
pub use workload::{Catalogue, MixShares, Workload, WorkloadKind};

/// The generator counts as the bottleneck when it sends less than this share of the target.
pub const MIN_ACHIEVED_SHARE: f64 = 0.99;
/// … or when its scheduling lag p99 exceeds this.
pub const MAX_LAG_P99_US: u64 = 1_000;

/// How load is applied.
#[derive(Debug, Clone)]
pub enum Mode {
    Open(Profile),
    Closed { duration: Duration },
}

/// What a measured phase found: plain data, formatted only by `report/`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LoadSummary {
    /// `open` (arrival schedule) or `closed` (back-to-back on fixed connections).
    #[schemars(extend("enum" = ["open", "closed"]))]
    pub mode: String,
    /// Mean arrival rate the schedule asked for (open mode).
    pub target_rps: Option<f64>,
    /// Requests sent per second within the schedule (a request waiting for a free connection is
    /// sent late, which lowers this).
    pub achieved_rps: f64,
    /// Answers per second.
    pub throughput_rps: f64,
    pub duration_s: f64,
    pub dispatched: u64,
    pub completed: u64,
    pub dropped: u64,
    /// Failures by class (connect, timeout, io, status_<code>, status_5xx, body, dropped).
    pub errors: BTreeMap<String, u64>,
    /// Failed share of dispatched requests.
    #[schemars(range(min = 0, max = 1))]
    pub error_rate: f64,
    /// 409s the workload expects (stock running out), not errors.
    pub expected_conflicts: u64,
    /// From the intended start (what a user waits, queueing included).
    pub response_time: Percentiles,
    /// From the actual send.
    pub service_time: Percentiles,
    /// The generator's lateness in sending.
    pub scheduling_lag: Percentiles,
    /// True when the generator, not the app, limited the run: never report such a run as the
    /// app's result without this flag.
    pub generator_limited: bool,
    pub generator_limited_reasons: Vec<String>,
}

/// `http://HOST:PORT/PATH` → the address and the path (HTTP/1.1 over plain TCP only).
pub fn parse_url(url: &str) -> anyhow::Result<(SocketAddr, String)> {
    use std::net::ToSocketAddrs;
    let rest = url.strip_prefix("http://").ok_or_else(|| anyhow::anyhow!("only http:// URLs can be loaded, got {url}"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = if authority.contains(':') { authority.to_string() } else { format!("{authority}:80") };
    let addr = authority.to_socket_addrs()?.next().ok_or_else(|| anyhow::anyhow!("{authority} does not resolve"))?;
    Ok((addr, if path.is_empty() { "/".into() } else { path.to_string() }))
}

/// Runs one phase on the calling thread's behalf (blocking; call from `spawn_blocking`).
pub fn measure(addr: SocketAddr, mode: &Mode, workload: Arc<Workload>, config: &EngineConfig) -> Result<(LoadSummary, Recorder), schedule::ProfileError> {
    match mode {
        Mode::Open(profile) => {
            let schedule = Arc::new(profile.schedule()?);
            let target = schedule.total() as f64 / schedule.duration().as_secs_f64();
            let duration = schedule.duration();
            let recorder = engine::run_open(addr, schedule, workload, config);
            Ok((summarize("open", Some(target), duration, &recorder), recorder))
        }
        Mode::Closed { duration } => {
            let recorder = engine::run_closed(addr, *duration, workload, config);
            Ok((summarize("closed", None, *duration, &recorder), recorder))
        }
    }
}

/// Derives the summary (and the generator-limited verdict) from raw measurements.
pub fn summarize(mode: &str, target_rps: Option<f64>, duration: Duration, r: &Recorder) -> LoadSummary {
    let seconds = duration.as_secs_f64().max(1e-9);
    let achieved_rps = r.sent_in_window as f64 / seconds;
    let failed: u64 = r.errors.values().sum();
    let lag = Percentiles::of(&r.lag_us);
    let mut reasons = Vec::new();
    if let Some(target) = target_rps {
        if achieved_rps < MIN_ACHIEVED_SHARE * target {
            reasons.push(format!("sent {achieved_rps:.1}/s of {target:.1}/s asked"));
        }
        if lag.p99_us > MAX_LAG_P99_US {
            reasons.push(format!("scheduling lag p99 {} µs > {MAX_LAG_P99_US} µs", lag.p99_us));
        }
    }
    if r.dropped > 0 {
        reasons.push(format!("{} requests dropped: more were waiting for a connection than the queue bound", r.dropped));
    }
    if let Some(n) = r.errors.get("local_resources") {
        reasons.push(format!("{n} requests failed for lack of local ports or file descriptors"));
    }
    LoadSummary {
        mode: mode.into(),
        target_rps,
        achieved_rps,
        throughput_rps: r.completed as f64 / seconds,
        duration_s: seconds,
        dispatched: r.dispatched,
        completed: r.completed,
        dropped: r.dropped,
        errors: r.errors.clone(),
        error_rate: if r.dispatched == 0 { 0.0 } else { failed as f64 / r.dispatched as f64 },
        expected_conflicts: r.expected_conflicts,
        response_time: Percentiles::of(&r.response_us),
        service_time: Percentiles::of(&r.service_us),
        scheduling_lag: lag,
        generator_limited: !reasons.is_empty(),
        generator_limited_reasons: reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_that_sent_too_little_is_generator_limited() {
        let mut r = Recorder::default();
        r.dispatched = 1000;
        r.sent_in_window = 900;
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.generator_limited);
        assert!(summary.generator_limited_reasons[0].contains("90.0/s of 100.0/s"));
    }

    #[test]
    fn a_late_pacer_makes_a_run_generator_limited() {
        let mut r = Recorder::default();
        r.dispatched = 1000;
        r.sent_in_window = 1000;
        for _ in 0..100 {
            r.lag(Duration::from_millis(3));
        }
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.generator_limited);
        assert!(summary.generator_limited_reasons.iter().any(|x| x.contains("lag")));
    }

    #[test]
    fn a_run_on_target_with_small_lag_is_the_apps_result() {
        let mut r = Recorder::default();
        r.dispatched = 1000;
        r.sent_in_window = 1000;
        r.lag(Duration::from_micros(40));
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(!summary.generator_limited, "{:?}", summary.generator_limited_reasons);
    }
}
