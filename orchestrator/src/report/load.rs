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
        "{} load, {:.1} s: asked {}/s, sent on time {:.1}/s, answered {:.1}/s; {} asked, {} answered ({} ok), {} dropped, {} timed out, {} resent, error rate {:.3}%\n",
        s.mode,
        s.duration_s,
        s.target_rps.map(|t| format!("{t:.1}")).unwrap_or_else(|| "-".into()),
        s.achieved_rps,
        s.throughput_rps,
        s.asked,
        s.answered,
        s.ok,
        s.dropped,
        s.timeouts,
        s.retries,
        s.error_rate * 100.0
    );
    out.push_str(&line("response time", &s.response_time));
    out.push_str(&line("service time", &s.service_time));
    out.push_str(&format!("scheduling lag   p50 {:>6} µs p99 {:>6} µs p99.9 {:>6} µs max {:>6} µs\n", lag.p50_us, lag.p99_us, lag.p999_us, lag.max_us));
    if !s.errors.is_empty() {
        out.push_str(&format!("errors: {:?}\n", s.errors));
    }
    out.push_str(&format!(
        "connection wait  p50 {:>6} µs p99 {:>6} µs max {:>6} µs\n",
        s.connection_wait.p50_us, s.connection_wait.p99_us, s.connection_wait.max_us
    ));
    for t in &s.generator_threads {
        out.push_str(&format!(
            "load thread on CPU {}: {:.1} % of a core\n",
            t.cpu.map(|c| c.to_string()).unwrap_or_else(|| "any".into()),
            100.0 * t.cpu_share()
        ));
    }
    if s.saturated {
        out.push_str(&format!("SATURATED (the app could not keep up): {}\n", s.saturated_reasons.join("; ")));
    }
    if s.generator_limited {
        out.push_str(&format!("GENERATOR-LIMITED: {}\n", s.generator_limited_reasons.join("; ")));
    }
    out
}
