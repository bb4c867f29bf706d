//! Raw measurements of a load run (per load thread, merged at the end). Every request due in a
//! phase is recorded exactly once in the response-time histogram — answered, failed, timed out or
//! dropped — with the time from its intended start to its end; statistics come afterwards.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Highest value a histogram tracks: 60 s in microseconds.
const MAX_TRACKED_US: u64 = 60_000_000;

pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_TRACKED_US, 3).expect("valid histogram bounds")
}

fn micros(d: Duration) -> u64 {
    (d.as_micros() as u64).clamp(1, MAX_TRACKED_US)
}

/// How a request that got no usable answer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    /// No answer within the request timeout (or by the end of the drain).
    Timeout,
    /// Waited for a free connection past the queue bound, or still waiting when the drain ended.
    Dropped,
    /// Any other class: `connect`, `io`, `desync`, `contract`, `status_<code>`, `local_resources`.
    Class(&'a str),
}

impl Failure<'_> {
    pub fn class(&self) -> &str {
        match self {
            Failure::Timeout => "timeout",
            Failure::Dropped => "dropped",
            Failure::Class(class) => class,
        }
    }
}

/// One second of a phase, by the requests *due* in it (intended start in that second).
#[derive(Debug, Clone)]
pub struct Second {
    /// Requests due.
    pub asked: u64,
    /// … of which sent (written to a connection), at any time.
    pub sent: u64,
    /// … of which answered with the expected status and a body that keeps the contract.
    pub ok: u64,
    /// … of which failed, by class (timeouts and drops included).
    pub errors: BTreeMap<String, u64>,
    /// Response time of every request due this second, failures and drops included.
    pub response_us: Histogram<u64>,
}

/// Each second's p99 (0 for a second nothing was due).
pub fn p99_per_second_us(seconds: &[Second]) -> Vec<u64> {
    seconds.iter().map(|s| if s.asked == 0 { 0 } else { s.response_us.value_at_quantile(0.99) }).collect()
}

/// Each second's good answers and failures (timeouts and drops included).
pub fn ok_and_failed_per_second(seconds: &[Second]) -> (Vec<u64>, Vec<u64>) {
    seconds.iter().map(|s| (s.ok, s.errors.values().sum::<u64>())).unzip()
}

/// p99 over every request due in `seconds` (0 for none).
pub fn p99_of_seconds(seconds: &[Second]) -> u64 {
    let mut all = histogram();
    for s in seconds {
        let _ = all.add(&s.response_us);
    }
    if all.is_empty() {
        0
    } else {
        all.value_at_quantile(0.99)
    }
}

impl Default for Second {
    fn default() -> Self {
        Second { asked: 0, sent: 0, ok: 0, errors: BTreeMap::new(), response_us: histogram() }
    }
}

impl Second {
    fn merge(&mut self, other: &Second) {
        self.asked += other.asked;
        self.sent += other.sent;
        self.ok += other.ok;
        for (class, n) in &other.errors {
            *self.errors.entry(class.clone()).or_default() += n;
        }
        self.response_us.add(&other.response_us).expect("same bounds");
    }
}

/// What one load thread used of its CPU.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThreadUse {
    /// The CPU the thread was pinned to (None: not pinned).
    pub cpu: Option<usize>,
    /// False when pinning was asked for and the call failed.
    pub pinned: bool,
    /// True when the thread ran under SCHED_FIFO (asked for, and allowed).
    pub realtime: bool,
    /// True when the thread held the kernel's CPU-latency QoS at 0 µs while it ran (idle CPUs
    /// poll instead of halting; asked for with `realtime`, and allowed).
    #[serde(default)]
    pub idle_polling: bool,
    /// CPU time the thread used (user + system), from `CLOCK_THREAD_CPUTIME_ID`.
    pub cpu_time_us: u64,
    /// Wall time the thread ran.
    pub wall_time_us: u64,
}

impl ThreadUse {
    /// Share of one core the thread kept busy.
    pub fn cpu_share(&self) -> f64 {
        if self.wall_time_us == 0 {
            0.0
        } else {
            self.cpu_time_us as f64 / self.wall_time_us as f64
        }
    }
}

/// A checkout the app acknowledged (201, or the 200 of a replayed Idempotency-Key), kept only
/// when the engine is asked to ([`crate::load::EngineConfig::keep_orders`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AckedOrder {
    /// The order's `id` as the answer gave it.
    pub id: String,
    /// `(product_id, quantity)` as the funnel added them to the cart, in order.
    pub lines: Vec<(u32, u32)>,
    /// The funnel's intended start.
    pub due: Instant,
    /// When the acknowledgement arrived.
    pub acked: Instant,
}

/// What one load thread (or, merged, the whole generator) measured.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// From the intended start to the end of every request due (open model; no coordinated
    /// omission): the last byte of its answer, its failure, its timeout or its drop.
    pub response_us: Histogram<u64>,
    /// From the actual send to the end of every request that was sent.
    pub service_us: Histogram<u64>,
    /// From the intended start to the moment the pacer handed the request over (the generator's
    /// own lateness).
    pub lag_us: Histogram<u64>,
    /// From the hand-over to the moment a connection was free (the app's backlog: every
    /// connection busy with an earlier request).
    pub connection_wait_us: Histogram<u64>,
    /// Per second of the phase, by intended start.
    pub seconds: Vec<Second>,
    /// Requests due in the phase.
    pub asked: u64,
    /// Requests written to a connection (at any time, the drain included).
    pub sent: u64,
    /// Requests written within the on-time bound of their intended start.
    pub sent_on_time: u64,
    /// Requests that waited for a free connection longer than the on-time bound.
    pub waited_past_bound: u64,
    /// Requests answered (any status), the drain included.
    pub answered: u64,
    /// Answers that arrived before the phase's end.
    pub answered_in_window: u64,
    /// Requests answered with the expected status and a body that keeps the contract.
    pub ok: u64,
    /// Requests dropped: too many waiting for a connection, or still waiting when the drain ended.
    pub dropped: u64,
    /// Failures by class (see [`Failure`]).
    pub errors: BTreeMap<String, u64>,
    /// Answers the workload expects now and then (409 out_of_stock, 409 cart_checked_out).
    pub expected_conflicts: u64,
    /// Requests resent once on a fresh connection because a kept-alive one had been closed.
    pub retries: u64,
    /// The most requests in flight or waiting for a connection at once, seen at an arrival (the
    /// sum of each load thread's maximum: exact with one thread, an upper bound with several).
    pub max_outstanding: u64,
    /// One entry per load thread.
    pub threads: Vec<ThreadUse>,
    /// Orders acknowledged, when asked for (empty otherwise).
    pub orders: Vec<AckedOrder>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            response_us: histogram(),
            service_us: histogram(),
            lag_us: histogram(),
            connection_wait_us: histogram(),
            seconds: Vec::new(),
            asked: 0,
            sent: 0,
            sent_on_time: 0,
            waited_past_bound: 0,
            answered: 0,
            answered_in_window: 0,
            ok: 0,
            dropped: 0,
            errors: BTreeMap::new(),
            expected_conflicts: 0,
            retries: 0,
            max_outstanding: 0,
            threads: Vec::new(),
            orders: Vec::new(),
        }
    }
}

impl Recorder {
    fn second(&mut self, second: usize) -> &mut Second {
        if self.seconds.len() <= second {
            self.seconds.resize_with(second + 1, Second::default);
        }
        &mut self.seconds[second]
    }

    /// A request falls due at `second` of the phase and the pacer hands it over `lag` late.
    pub fn due(&mut self, second: usize, lag: Duration) {
        self.asked += 1;
        self.lag_us.saturating_record(micros(lag));
        self.second(second).asked += 1;
    }

    /// The request due at `second` is written to a connection after waiting `wait` for one;
    /// `on_time` when it went out within the bound of its intended start.
    pub fn sent(&mut self, second: usize, wait: Duration, on_time: bool, past_bound: bool) {
        self.sent += 1;
        self.sent_on_time += u64::from(on_time);
        self.waited_past_bound += u64::from(past_bound);
        self.connection_wait_us.saturating_record(micros(wait));
        self.second(second).sent += 1;
    }

    /// An answer (any status) `since_intended` after the intended start, `service` after the send.
    pub fn answered(&mut self, second: usize, since_intended: Duration, service: Duration, in_window: bool) {
        self.answered += 1;
        self.answered_in_window += u64::from(in_window);
        self.service_us.saturating_record(micros(service));
        self.record_time(second, since_intended);
    }

    /// The answered request kept the contract.
    pub fn ok(&mut self, second: usize) {
        self.ok += 1;
        self.second(second).ok += 1;
    }

    /// A request that ended without an answer after `since_intended` (`service`: since its send,
    /// when it was sent).
    pub fn failed(&mut self, second: usize, failure: Failure, since_intended: Duration, service: Option<Duration>) {
        if let Some(service) = service {
            self.service_us.saturating_record(micros(service));
        }
        if failure == Failure::Dropped {
            self.dropped += 1;
        }
        self.error(second, failure.class());
        self.record_time(second, since_intended);
    }

    /// An error class for a request whose time is recorded elsewhere (a 5xx answer, say).
    pub fn error(&mut self, second: usize, class: &str) {
        *self.errors.entry(class.to_string()).or_default() += 1;
        *self.second(second).errors.entry(class.to_string()).or_default() += 1;
    }

    fn record_time(&mut self, second: usize, since_intended: Duration) {
        let value = micros(since_intended);
        self.response_us.saturating_record(value);
        self.second(second).response_us.saturating_record(value);
    }

    /// Adds another load thread's measurements to these.
    pub fn merge(&mut self, other: &Recorder) {
        for (mine, theirs) in [
            (&mut self.response_us, &other.response_us),
            (&mut self.service_us, &other.service_us),
            (&mut self.lag_us, &other.lag_us),
            (&mut self.connection_wait_us, &other.connection_wait_us),
        ] {
            mine.add(theirs).expect("same bounds");
        }
        if self.seconds.len() < other.seconds.len() {
            self.seconds.resize_with(other.seconds.len(), Second::default);
        }
        for (mine, theirs) in self.seconds.iter_mut().zip(&other.seconds) {
            mine.merge(theirs);
        }
        self.asked += other.asked;
        self.sent += other.sent;
        self.sent_on_time += other.sent_on_time;
        self.waited_past_bound += other.waited_past_bound;
        self.answered += other.answered;
        self.answered_in_window += other.answered_in_window;
        self.ok += other.ok;
        self.dropped += other.dropped;
        self.max_outstanding += other.max_outstanding;
        for (class, count) in &other.errors {
            *self.errors.entry(class.clone()).or_default() += count;
        }
        self.expected_conflicts += other.expected_conflicts;
        self.retries += other.retries;
        self.threads.extend(other.threads.iter().cloned());
        self.orders.extend(other.orders.iter().cloned());
    }

    /// Requests that failed, by any class.
    pub fn failed_total(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Percentiles of one histogram, in microseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Percentiles {
    /// Values recorded.
    pub count: u64,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    pub p999_us: u64,
    pub max_us: u64,
    pub mean_us: f64,
}

impl Percentiles {
    pub fn of(h: &Histogram<u64>) -> Percentiles {
        if h.is_empty() {
            return Percentiles::default();
        }
        Percentiles {
            count: h.len(),
            p50_us: h.value_at_quantile(0.50),
            p90_us: h.value_at_quantile(0.90),
            p95_us: h.value_at_quantile(0.95),
            p99_us: h.value_at_quantile(0.99),
            p999_us: h.value_at_quantile(0.999),
            max_us: h.max(),
            mean_us: h.mean(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_two_threads_adds_counts_and_keeps_the_extremes() {
        let mut a = Recorder::default();
        let mut b = Recorder::default();
        for ms in 1..=100 {
            a.due(0, Duration::ZERO);
            a.answered(0, Duration::from_millis(ms), Duration::from_millis(ms), true);
        }
        b.due(3, Duration::ZERO);
        b.answered(3, Duration::from_secs(5), Duration::from_millis(1), true);
        b.failed(3, Failure::Timeout, Duration::from_secs(10), Some(Duration::from_secs(10)));
        a.failed(0, Failure::Timeout, Duration::from_secs(10), Some(Duration::from_secs(10)));
        a.merge(&b);
        assert_eq!(a.answered, 101);
        assert_eq!(a.errors["timeout"], 2);
        assert_eq!(a.seconds.len(), 4);
        assert_eq!(a.seconds[3].response_us.len(), 2);
        assert_eq!(a.seconds[3].errors["timeout"], 1);
        let p = Percentiles::of(&a.response_us);
        assert_eq!(p.count, 103);
        assert!((9_990_000..=10_010_000).contains(&p.max_us), "max {}", p.max_us);
        assert!((51_000..=53_000).contains(&p.p50_us), "p50 {}", p.p50_us);
    }

    #[test]
    fn a_failed_request_is_in_the_percentiles_with_its_time_since_the_intended_start() {
        let mut r = Recorder::default();
        r.due(0, Duration::ZERO);
        r.failed(0, Failure::Class("connect"), Duration::from_millis(3), None);
        assert_eq!((r.errors["connect"], r.response_us.len(), r.service_us.len()), (1, 1, 0));
        assert!((2_990..=3_010).contains(&r.response_us.max()));
    }

    #[test]
    fn a_dropped_request_counts_as_an_error_and_in_the_percentiles_with_its_real_wait() {
        let mut r = Recorder::default();
        r.failed(0, Failure::Dropped, Duration::from_millis(250), None);
        assert_eq!((r.dropped, r.errors["dropped"], r.response_us.len()), (1, 1, 1));
        assert!((249_000..=251_000).contains(&r.response_us.max()));
    }

    #[test]
    fn a_seconds_counts_cover_asked_sent_ok_and_errors_by_class() {
        let mut r = Recorder::default();
        for _ in 0..3 {
            r.due(1, Duration::ZERO);
        }
        r.sent(1, Duration::ZERO, true, false);
        r.sent(1, Duration::from_secs(2), false, true);
        r.answered(1, Duration::from_millis(5), Duration::from_millis(5), true);
        r.ok(1);
        r.answered(1, Duration::from_secs(2), Duration::from_millis(5), true);
        r.error(1, "status_5xx");
        r.failed(1, Failure::Dropped, Duration::from_secs(1), None);
        let s = &r.seconds[1];
        assert_eq!((s.asked, s.sent, s.ok, s.response_us.len()), (3, 2, 1, 3));
        assert_eq!((s.errors["status_5xx"], s.errors["dropped"]), (1, 1));
        assert_eq!((r.sent_on_time, r.waited_past_bound), (1, 1));
    }
}
