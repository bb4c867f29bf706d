//! The load engine: open-model arrival schedules with honest percentiles (latency from the
//! intended send time), a closed-loop mode for comparison, and the generator-limited flag.

pub(crate) mod conn;
pub mod engine;
pub mod fixture;
pub mod loadgen;
pub mod merge;
pub mod pacer;
pub mod queries;
pub mod schedule;
pub mod share;
pub mod start;
pub mod stats;
pub mod vocabulary;
pub mod wire;
pub mod workload;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use engine::EngineConfig;
pub use schedule::{Profile, Schedule};
pub use stats::{Percentiles, Recorder, ThreadUse};
pub use workload::{Catalogue, MixShares, Workload, WorkloadKind};

/// A request counts as sent on time when it went out within this of its intended start; the
/// generator counts as late when its scheduling lag p99 exceeds it.
pub const LAG_BOUND: Duration = Duration::from_millis(1);
/// The app is saturated when fewer than this share of the requests asked got an answer …
pub const MIN_ANSWERED_SHARE: f64 = 0.99;
/// … or more than this share waited past [`LAG_BOUND`] for a free connection (all busy).
pub const MAX_WAITED_SHARE: f64 = 0.01;
/// A load thread busier than this share of its core cannot promise its send times.
pub const MAX_GENERATOR_CPU_SHARE: f64 = 0.9;

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
    /// Requests per second sent within [`LAG_BOUND`] of their intended start.
    pub achieved_rps: f64,
    /// Answers (any status) per second that arrived within the phase.
    pub throughput_rps: f64,
    pub duration_s: f64,
    /// Requests due in the phase (every one of them is in `response_time`).
    pub asked: u64,
    /// Requests written to a connection, at any time (the drain included).
    pub sent: u64,
    /// Requests written within [`LAG_BOUND`] of their intended start.
    pub sent_on_time: u64,
    /// Requests that waited longer than [`LAG_BOUND`] for a free connection (every connection
    /// busy with earlier requests: the app's backlog).
    pub waited_past_bound: u64,
    /// Requests answered (any status), the drain included.
    pub answered: u64,
    /// Answers with the expected status and a body that keeps the contract.
    pub ok: u64,
    /// Requests dropped (queue bound, or still waiting for a connection when the drain ended).
    pub dropped: u64,
    /// Requests with no answer within the timeout (or by the end of the drain).
    pub timeouts: u64,
    /// Requests resent once on a fresh connection after a kept-alive one had been closed (only
    /// GETs and POSTs with an Idempotency-Key are resent).
    pub retries: u64,
    /// The most requests in flight or waiting for a connection at once (the app's backlog as
    /// the generator saw it).
    #[serde(default)]
    pub max_outstanding: u64,
    /// Failures by class: connect, io, desync, protocol, timeout, dropped, contract,
    /// status_<code>, status_5xx, local_resources.
    pub errors: BTreeMap<String, u64>,
    /// Failed share of the requests asked.
    #[schemars(range(min = 0, max = 1))]
    pub error_rate: f64,
    /// 409s the workload expects (stock running out), not errors.
    pub expected_conflicts: u64,
    /// From the intended start to the end of every request asked (what a user waits, queueing,
    /// failures, timeouts and drops included).
    pub response_time: Percentiles,
    /// From the actual send to the end, for requests that were sent.
    pub service_time: Percentiles,
    /// The generator's lateness in handing a request over (intended → hand-over).
    pub scheduling_lag: Percentiles,
    /// Waiting for a free connection (hand-over → send): the app's backlog.
    pub connection_wait: Percentiles,
    /// CPU use of each load thread.
    pub generator_threads: Vec<ThreadUse>,
    /// The app could not keep up with the rate asked: its honest result, ranked by what it
    /// achieved, with the evidence in `saturated_reasons`.
    pub saturated: bool,
    pub saturated_reasons: Vec<String>,
    /// The generator, not the app, limited the run (late, out of local resources, unpinned or
    /// CPU-bound): never report such a run as the app's result.
    pub generator_limited: bool,
    pub generator_limited_reasons: Vec<String>,
    /// The generators of a distributed phase (`hosts.load`), each on its own; empty when this
    /// process generated the load.
    #[serde(default)]
    pub generators: Vec<GeneratorFigures>,
}

/// One generator of a distributed phase: its own lag, CPU and drops beside the merged figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GeneratorFigures {
    /// `i/N`: it sent the requests j of the schedule with j mod N = i.
    pub share: String,
    /// The name its host (container) gave itself.
    pub host: String,
    pub scheduling_lag_p50_us: u64,
    pub scheduling_lag_p99_us: u64,
    /// CPU use of its busiest load thread, as a share of one core.
    pub busiest_thread_cpu_share: f64,
    pub dropped: u64,
    /// Why it could not keep its promises (empty: it could).
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

/// Derives the summary (and the saturated and generator-limited verdicts) from raw measurements.
pub fn summarize(mode: &str, target_rps: Option<f64>, duration: Duration, r: &Recorder) -> LoadSummary {
    let seconds = duration.as_secs_f64().max(1e-9);
    let lag = Percentiles::of(&r.lag_us);
    let open = target_rps.is_some();
    LoadSummary {
        mode: mode.into(),
        target_rps,
        achieved_rps: r.sent_on_time as f64 / seconds,
        throughput_rps: r.answered_in_window as f64 / seconds,
        duration_s: seconds,
        asked: r.asked,
        sent: r.sent,
        sent_on_time: r.sent_on_time,
        waited_past_bound: r.waited_past_bound,
        answered: r.answered,
        ok: r.ok,
        dropped: r.dropped,
        timeouts: r.errors.get("timeout").copied().unwrap_or(0),
        retries: r.retries,
        max_outstanding: r.max_outstanding,
        errors: r.errors.clone(),
        error_rate: if r.asked == 0 { 0.0 } else { r.failed_total() as f64 / r.asked as f64 },
        expected_conflicts: r.expected_conflicts,
        response_time: Percentiles::of(&r.response_us),
        service_time: Percentiles::of(&r.service_us),
        connection_wait: Percentiles::of(&r.connection_wait_us),
        generator_threads: r.threads.clone(),
        saturated: open && !saturation(r).is_empty(),
        saturated_reasons: if open { saturation(r) } else { Vec::new() },
        generator_limited: !generator_limits(r, &lag).is_empty(),
        generator_limited_reasons: generator_limits(r, &lag),
        scheduling_lag: lag,
        generators: Vec::new(),
    }
}

/// Evidence that the app could not keep up with the rate asked (open model only).
pub fn saturation(r: &Recorder) -> Vec<String> {
    let mut reasons = Vec::new();
    let asked = r.asked.max(1) as f64;
    if r.waited_past_bound as f64 > MAX_WAITED_SHARE * asked {
        let share = 100.0 * r.waited_past_bound as f64 / asked;
        reasons.push(format!(
            "{} requests ({share:.1} %) waited over {} ms for a free connection: every connection was busy",
            r.waited_past_bound,
            LAG_BOUND.as_millis()
        ));
    }
    if r.dropped > 0 {
        reasons.push(format!("{} requests dropped: the backlog outgrew the queue bound or outlasted the drain", r.dropped));
    }
    if let Some(n) = r.errors.get("timeout") {
        reasons.push(format!("{n} requests timed out"));
    }
    if (r.answered as f64) < MIN_ANSWERED_SHARE * asked {
        reasons.push(format!("{} of {} requests asked got an answer ({:.1} %)", r.answered, r.asked, 100.0 * r.answered as f64 / asked));
    }
    reasons
}

/// Evidence that the generator itself could not keep its promises.
pub fn generator_limits(r: &Recorder, lag: &Percentiles) -> Vec<String> {
    let mut reasons = Vec::new();
    if lag.p99_us > LAG_BOUND.as_micros() as u64 {
        reasons.push(format!("scheduling lag p99 {} µs > {} µs", lag.p99_us, LAG_BOUND.as_micros()));
    }
    if let Some(n) = r.errors.get("local_resources") {
        reasons.push(format!("{n} requests failed for lack of local ports or file descriptors"));
    }
    for t in r.threads.iter().filter(|t| !t.pinned) {
        reasons.push(format!("a load thread could not be pinned to CPU {}", t.cpu.map(|c| c.to_string()).unwrap_or_default()));
    }
    for t in r.threads.iter().filter(|t| t.cpu_share() > MAX_GENERATOR_CPU_SHARE) {
        reasons.push(format!("a load thread used {:.0} % of its core", 100.0 * t.cpu_share()));
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use stats::Failure;

    /// A recorder of `asked` requests, each sent `lag` late and answered in 2 ms.
    fn answered_all(asked: u64, lag: Duration) -> Recorder {
        let mut r = Recorder::default();
        for _ in 0..asked {
            r.due(0, lag);
            r.sent(0, Duration::ZERO, lag <= LAG_BOUND, false);
            r.answered(0, Duration::from_millis(2), Duration::from_millis(2), true);
            r.ok(0);
        }
        r
    }

    #[test]
    fn a_slow_app_is_saturated_not_generator_limited() {
        let mut r = Recorder::default();
        for i in 0..1000 {
            r.due(0, Duration::from_micros(20));
            let waited = i % 2 == 0;
            r.sent(0, if waited { Duration::from_secs(1) } else { Duration::ZERO }, !waited, waited);
            r.answered(0, Duration::from_secs(1), Duration::from_millis(50), true);
        }
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.saturated, "{summary:?}");
        assert!(summary.saturated_reasons[0].contains("waited over 1 ms for a free connection"), "{:?}", summary.saturated_reasons);
        assert!(!summary.generator_limited, "{:?}", summary.generator_limited_reasons);
        assert_eq!(summary.achieved_rps, 50.0, "requests that waited for a connection were not sent on time");
    }

    #[test]
    fn drops_and_timeouts_make_the_app_saturated() {
        let mut r = answered_all(1000, Duration::ZERO);
        r.due(0, Duration::ZERO);
        r.failed(0, Failure::Dropped, Duration::from_secs(3), None);
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.saturated && summary.saturated_reasons.iter().any(|x| x.contains("1 requests dropped")), "{summary:?}");
        r.failed(0, Failure::Timeout, Duration::from_secs(10), Some(Duration::from_secs(10)));
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.saturated_reasons.iter().any(|x| x.contains("1 requests timed out")), "{summary:?}");
        assert!(!summary.generator_limited);
    }

    #[test]
    fn too_few_answers_make_the_app_saturated() {
        let mut r = answered_all(900, Duration::ZERO);
        for _ in 0..100 {
            r.due(0, Duration::ZERO);
            r.failed(0, Failure::Class("connect"), Duration::from_millis(1), None);
        }
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.saturated_reasons.iter().any(|x| x.contains("900 of 1000 requests asked got an answer")), "{summary:?}");
        assert_eq!(summary.error_rate, 0.1);
    }

    #[test]
    fn a_late_pacer_makes_a_run_generator_limited_and_its_requests_are_not_on_time() {
        let r = answered_all(1000, Duration::from_millis(5));
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &r);
        assert!(summary.generator_limited);
        assert!(summary.generator_limited_reasons.iter().any(|x| x.contains("lag")));
        assert_eq!(summary.sent_on_time, 0, "a request sent 5 ms late is not on time");
        assert!(!summary.saturated, "{:?}", summary.saturated_reasons);
    }

    #[test]
    fn a_busy_or_unpinned_load_thread_makes_a_run_generator_limited() {
        let mut r = answered_all(1000, Duration::from_micros(10));
        r.threads.push(ThreadUse { cpu: Some(1), pinned: true, realtime: true, idle_polling: true, cpu_time_us: 9_500_000, wall_time_us: 10_000_000 });
        r.threads.push(ThreadUse { cpu: Some(7), pinned: false, realtime: false, idle_polling: false, cpu_time_us: 1, wall_time_us: 10_000_000 });
        let reasons = summarize("open", Some(100.0), Duration::from_secs(10), &r).generator_limited_reasons;
        assert!(reasons.iter().any(|x| x.contains("95 % of its core")), "{reasons:?}");
        assert!(reasons.iter().any(|x| x.contains("could not be pinned to CPU 7")), "{reasons:?}");
    }

    #[test]
    fn a_run_on_target_with_small_lag_is_the_apps_result() {
        let summary = summarize("open", Some(100.0), Duration::from_secs(10), &answered_all(1000, Duration::from_micros(40)));
        assert!(!summary.generator_limited, "{:?}", summary.generator_limited_reasons);
        assert!(!summary.saturated, "{:?}", summary.saturated_reasons);
        assert_eq!((summary.achieved_rps, summary.throughput_rps), (100.0, 100.0));
    }
}
