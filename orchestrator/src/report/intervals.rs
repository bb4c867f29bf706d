//! Per-second response times of a phase (the interval log): how a spike or a stall unfolds.

use crate::load::Recorder;

/// CSV: one row per second of the phase.
pub fn csv(recorder: &Recorder) -> String {
    let mut out = String::from("second,answers,p50_us,p99_us,max_us\n");
    for (second, h) in recorder.per_second_us.iter().enumerate() {
        let (p50, p99, max) = if h.is_empty() { (0, 0, 0) } else { (h.value_at_quantile(0.5), h.value_at_quantile(0.99), h.max()) };
        out.push_str(&format!("{second},{},{p50},{p99},{max}\n", h.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn each_second_gets_a_row_even_when_nothing_was_answered() {
        let mut r = Recorder::default();
        r.answered(Duration::from_millis(2), Duration::from_millis(2), 0);
        r.answered(Duration::from_millis(9), Duration::from_millis(9), 2);
        let text = csv(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("0,1,"));
        assert_eq!(lines[2], "1,0,0,0,0");
        assert!(lines[3].starts_with("2,1,"));
    }
}
