//! Per-second counts and response times of a phase (the interval log): how a spike or a stall
//! unfolds. Each row covers the requests *due* in that second — asked, sent, answered ok, failed
//! by class — and its percentiles are over all of them, failures and drops included.

use std::collections::BTreeSet;

use crate::load::Recorder;

/// CSV: one row per second of the phase; one `errors_<class>` column per error class seen.
pub fn csv(recorder: &Recorder) -> String {
    let classes: BTreeSet<&str> = recorder.seconds.iter().flat_map(|s| s.errors.keys().map(String::as_str)).collect();
    let mut out = String::from("second,asked,sent,ok,errors,timeouts,drops");
    for class in &classes {
        out.push_str(&format!(",errors_{class}"));
    }
    out.push_str(",p50_us,p90_us,p99_us,max_us\n");
    for (second, s) in recorder.seconds.iter().enumerate() {
        let count = |class: &str| s.errors.get(class).copied().unwrap_or(0);
        out.push_str(&format!("{second},{},{},{},{},{},{}", s.asked, s.sent, s.ok, s.errors.values().sum::<u64>(), count("timeout"), count("dropped")));
        for class in &classes {
            out.push_str(&format!(",{}", count(class)));
        }
        let h = &s.response_us;
        let [p50, p90, p99] = [0.5, 0.9, 0.99].map(|q| if h.is_empty() { 0 } else { h.value_at_quantile(q) });
        out.push_str(&format!(",{p50},{p90},{p99},{}\n", if h.is_empty() { 0 } else { h.max() }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::stats::Failure;
    use std::time::Duration;

    #[test]
    fn each_second_gets_a_row_even_when_nothing_was_due() {
        let mut r = Recorder::default();
        r.due(0, Duration::ZERO);
        r.answered(0, Duration::from_millis(2), Duration::from_millis(2), true);
        r.due(2, Duration::ZERO);
        r.answered(2, Duration::from_millis(9), Duration::from_millis(9), true);
        let text = csv(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("0,1,0,0,0,0,0,"), "{text}");
        assert_eq!(lines[2], "1,0,0,0,0,0,0,0,0,0,0");
    }

    #[test]
    fn a_seconds_row_counts_every_request_due_and_its_percentiles_include_failures() {
        let mut r = Recorder::default();
        for _ in 0..4 {
            r.due(0, Duration::ZERO);
        }
        r.sent(0, Duration::ZERO, true, false);
        r.answered(0, Duration::from_millis(1), Duration::from_millis(1), true);
        r.ok(0);
        r.sent(0, Duration::ZERO, true, false);
        r.answered(0, Duration::from_millis(1), Duration::from_millis(1), true);
        r.error(0, "status_5xx");
        r.sent(0, Duration::ZERO, true, false);
        r.failed(0, Failure::Timeout, Duration::from_secs(10), Some(Duration::from_secs(10)));
        r.failed(0, Failure::Dropped, Duration::from_secs(4), None);
        let text = csv(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "second,asked,sent,ok,errors,timeouts,drops,errors_dropped,errors_status_5xx,errors_timeout,p50_us,p90_us,p99_us,max_us");
        let fields: Vec<u64> = lines[1].split(',').map(|f| f.parse().unwrap()).collect();
        assert_eq!(&fields[..10], &[0, 4, 3, 1, 3, 1, 1, 1, 1, 1]);
        assert!(fields[13] >= 9_990_000, "the timeout is the slowest request of the second: {text}");
    }
}
