//! The summary of one load phase, for the terminal.

use super::ms;
use crate::load::LoadSummary;

pub fn summary(s: &LoadSummary) -> String {
    let line = |name: &str, p: &crate::load::Percentiles| {
        format!(
            "{name:<16} p50 {:>8} p90 {:>8} p95 {:>8} p99 {:>8} p99.9 {:>8} max {:>8} ms\n",
            ms(p.p50_us),
            ms(p.p90_us),
            ms(p.p95_us),
            ms(p.p99_us),
            ms(p.p999_us),
            ms(p.max_us)
        )
    };
    let lag = &s.scheduling_lag;
    let mut out = format!(
        "{} load, {:.1} s: asked {}/s, sent {:.1}/s, answered {:.1}/s; {} answers, {} dropped, error rate {:.3}%\n",
        s.mode,
        s.duration_s,
        s.target_rps.map(|t| format!("{t:.1}")).unwrap_or_else(|| "-".into()),
        s.achieved_rps,
        s.throughput_rps,
        s.completed,
        s.dropped,
        s.error_rate * 100.0
    );
    out.push_str(&line("response time", &s.response_time));
    out.push_str(&line("service time", &s.service_time));
    out.push_str(&format!("scheduling lag   p50 {:>6} µs p99 {:>6} µs p99.9 {:>6} µs max {:>6} µs\n", lag.p50_us, lag.p99_us, lag.p999_us, lag.max_us));
    if !s.errors.is_empty() {
        out.push_str(&format!("errors: {:?}\n", s.errors));
    }
    if s.generator_limited {
        out.push_str(&format!("GENERATOR-LIMITED: {}\n", s.generator_limited_reasons.join("; ")));
    }
    out
}
