//! Raw measurements of a load run (per worker, merged at the end) and the summary derived from
//! them afterwards.

use std::collections::BTreeMap;
use std::time::Duration;

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

/// What one worker (or, merged, the whole generator) measured.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// From the intended start to the last byte of the answer (open model; no coordinated omission).
    pub response_us: Histogram<u64>,
    /// From the actual send to the last byte of the answer.
    pub service_us: Histogram<u64>,
    /// From the intended start to the actual send (the generator's own lateness).
    pub lag_us: Histogram<u64>,
    /// Response time per second of the run (interval log), index = second since start.
    pub per_second_us: Vec<Histogram<u64>>,
    /// Requests handed to the connection pool at their intended time (including those that then
    /// had to wait for a connection).
    pub dispatched: u64,
    /// Requests actually sent before the schedule ended (waiting for a connection delays this).
    pub sent_in_window: u64,
    /// Requests answered (any status).
    pub completed: u64,
    /// Requests dropped because too many were waiting; recorded in `response_us` with the time
    /// they had waited when the run ended.
    pub dropped: u64,
    /// Failures by class: `connect`, `timeout`, `io`, `status_404`, `status_5xx`, `body`, `dropped`.
    pub errors: BTreeMap<String, u64>,
    /// Answers the workload expects now and then (409 out_of_stock, 409 cart_checked_out).
    pub expected_conflicts: u64,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            response_us: histogram(),
            service_us: histogram(),
            lag_us: histogram(),
            per_second_us: Vec::new(),
            dispatched: 0,
            sent_in_window: 0,
            completed: 0,
            dropped: 0,
            errors: BTreeMap::new(),
            expected_conflicts: 0,
        }
    }
}

impl Recorder {
    pub fn lag(&mut self, lag: Duration) {
        self.lag_us.saturating_record(micros(lag));
    }

    /// Records an answered request: `since_intended` at `second` of the run, `service` from send.
    pub fn answered(&mut self, since_intended: Duration, service: Duration, second: usize) {
        self.completed += 1;
        let value = micros(since_intended);
        self.response_us.saturating_record(value);
        self.service_us.saturating_record(micros(service));
        if self.per_second_us.len() <= second {
            self.per_second_us.resize_with(second + 1, histogram);
        }
        self.per_second_us[second].saturating_record(value);
    }

    pub fn error(&mut self, class: &str) {
        *self.errors.entry(class.to_string()).or_default() += 1;
    }

    /// Records a request dropped after waiting `waited` (it never vanishes from the percentiles).
    pub fn drop_waited(&mut self, waited: Duration) {
        self.dropped += 1;
        self.response_us.saturating_record(micros(waited));
        self.error("dropped");
    }

    /// Adds another worker's measurements to these.
    pub fn merge(&mut self, other: &Recorder) {
        self.response_us.add(&other.response_us).expect("same bounds");
        self.service_us.add(&other.service_us).expect("same bounds");
        self.lag_us.add(&other.lag_us).expect("same bounds");
        if self.per_second_us.len() < other.per_second_us.len() {
            self.per_second_us.resize_with(other.per_second_us.len(), histogram);
        }
        for (mine, theirs) in self.per_second_us.iter_mut().zip(&other.per_second_us) {
            mine.add(theirs).expect("same bounds");
        }
        self.dispatched += other.dispatched;
        self.sent_in_window += other.sent_in_window;
        self.completed += other.completed;
        self.dropped += other.dropped;
        for (class, count) in &other.errors {
            *self.errors.entry(class.clone()).or_default() += count;
        }
        self.expected_conflicts += other.expected_conflicts;
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
    fn merging_two_workers_adds_counts_and_keeps_the_extremes() {
        let mut a = Recorder::default();
        let mut b = Recorder::default();
        for ms in 1..=100 {
            a.answered(Duration::from_millis(ms), Duration::from_millis(ms), 0);
        }
        b.answered(Duration::from_secs(5), Duration::from_millis(1), 3);
        b.error("timeout");
        a.error("timeout");
        a.merge(&b);
        assert_eq!(a.completed, 101);
        assert_eq!(a.errors["timeout"], 2);
        assert_eq!(a.per_second_us.len(), 4);
        assert_eq!(a.per_second_us[3].len(), 1);
        let p = Percentiles::of(&a.response_us);
        assert_eq!(p.count, 101);
        assert!((4_990_000..=5_010_000).contains(&p.max_us), "max {}", p.max_us);
        assert!((50_000..=52_000).contains(&p.p50_us), "p50 {}", p.p50_us);
    }

    #[test]
    fn a_dropped_request_counts_as_an_error_and_in_the_percentiles() {
        let mut r = Recorder::default();
        r.drop_waited(Duration::from_secs(2));
        assert_eq!((r.dropped, r.errors["dropped"], r.response_us.len()), (1, 1, 1));
    }
}
