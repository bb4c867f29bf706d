//! The orchestrator's side of a distributed run: N generators' results, checked to be exactly
//! the shares of one schedule, merged into one recorder (histograms bucket by bucket, counters
//! added: the same as if one generator had recorded every sample), each generator's own lag, CPU
//! and drops kept beside it.

use std::time::Duration;

use thiserror::Error;

use super::share::Share;
use super::stats::{Percentiles, Recorder, ThreadUse};
use super::wire::{GeneratorResult, WireError};
use super::{generator_limits, summarize, LoadSummary};

/// One generator, as the orchestrator reports it beside the merged figures.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorView {
    pub share: Share,
    pub host: String,
    /// Its own scheduling lag (from its lag histogram, not from what it said of it).
    pub scheduling_lag: Percentiles,
    /// Its load threads' CPU use.
    pub threads: Vec<ThreadUse>,
    /// Requests it dropped.
    pub dropped: u64,
    /// Why it could not keep its promises (empty: it could).
    pub generator_limited_reasons: Vec<String>,
}

impl GeneratorView {
    /// What run.json keeps of it.
    pub fn figures(&self) -> super::GeneratorFigures {
        super::GeneratorFigures {
            share: self.share.to_string(),
            host: self.host.clone(),
            scheduling_lag_p50_us: self.scheduling_lag.p50_us,
            scheduling_lag_p99_us: self.scheduling_lag.p99_us,
            busiest_thread_cpu_share: self.threads.iter().map(|t| t.cpu_share()).fold(0.0, f64::max),
            dropped: self.dropped,
            generator_limited_reasons: self.generator_limited_reasons.clone(),
        }
    }
}

/// The merged run.
#[derive(Debug, Clone)]
pub struct Merged {
    /// Every generator's measurements added together.
    pub recorder: Recorder,
    /// Each generator on its own, by share index.
    pub generators: Vec<GeneratorView>,
    /// Requests of the single-generator schedule (= `recorder.asked`).
    pub schedule_requests: u64,
}

#[derive(Debug, Error)]
pub enum MergeError {
    #[error(transparent)]
    Wire(#[from] WireError),
    #[error("no generator result to merge: every load host's generator failed; see their logs")]
    Empty,
    #[error("the results are not the shares of one schedule: {0}; start every generator of a run from the same spec, with shares 0/N … N-1/N")]
    NotOneSchedule(String),
    #[error(
        "generator {share} was due {expected} requests of its share but reports {asked}: it did not run its whole share; see its log and run the phase again"
    )]
    Incomplete { share: Share, asked: u64, expected: u64 },
}

/// Checks that `results` are the N shares of one schedule and merges them exactly.
pub fn merge(results: &[GeneratorResult]) -> Result<Merged, MergeError> {
    let first = results.first().ok_or(MergeError::Empty)?;
    check_shares(results)?;
    let mut recorder = Recorder::default();
    let mut generators = Vec::new();
    let mut sorted: Vec<&GeneratorResult> = results.iter().collect();
    sorted.sort_by_key(|r| r.share.index);
    for result in sorted {
        let own = result.decode()?;
        let expected = result.share.len(result.schedule_requests);
        if own.asked != expected {
            return Err(MergeError::Incomplete { share: result.share, asked: own.asked, expected });
        }
        let lag = Percentiles::of(&own.lag_us);
        generators.push(GeneratorView {
            share: result.share,
            host: result.host.clone(),
            generator_limited_reasons: generator_limits(&own, &lag),
            scheduling_lag: lag,
            threads: own.threads.clone(),
            dropped: own.dropped,
        });
        recorder.merge(&own);
    }
    Ok(Merged { recorder, generators, schedule_requests: first.schedule_requests })
}

/// Every result shares the count, start and schedule size, and the indices are 0..count, once each.
fn check_shares(results: &[GeneratorResult]) -> Result<(), MergeError> {
    let first = &results[0];
    let differs =
        |r: &&GeneratorResult| r.share.count != first.share.count || r.start_unix_ns != first.start_unix_ns || r.schedule_requests != first.schedule_requests;
    if let Some(other) = results.iter().find(differs) {
        return Err(MergeError::NotOneSchedule(format!(
            "generator {} (start {} ns, {} requests) and generator {} (start {} ns, {} requests) differ",
            first.share, first.start_unix_ns, first.schedule_requests, other.share, other.start_unix_ns, other.schedule_requests
        )));
    }
    let mut indices: Vec<u32> = results.iter().map(|r| r.share.index).collect();
    indices.sort_unstable();
    if indices != (0..first.share.count).collect::<Vec<_>>() {
        return Err(MergeError::NotOneSchedule(format!("{} shares expected, got indices {indices:?}", first.share.count)));
    }
    Ok(())
}

impl Merged {
    /// The run's summary: the merged figures, generator-limited when ANY generator was, each
    /// reason naming its generator. (The merged lag's p99 is never above every generator's own,
    /// so the generators' reasons are all the evidence there is.)
    pub fn summary(&self, target_rps: Option<f64>, duration: Duration) -> LoadSummary {
        let mut summary = summarize("open", target_rps, duration, &self.recorder);
        summary.generator_limited_reasons.clear();
        for g in &self.generators {
            let host = if g.host.is_empty() { String::new() } else { format!(" on {}", g.host) };
            summary.generator_limited_reasons.extend(g.generator_limited_reasons.iter().map(|reason| format!("generator {}{host}: {reason}", g.share)));
        }
        summary.generator_limited = !summary.generator_limited_reasons.is_empty();
        summary.generators = self.generators.iter().map(GeneratorView::figures).collect();
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::stats::Failure;
    use crate::load::wire::Origin;

    /// Request `j`'s made-up outcome: lag, wait, times and how it ended vary with `j`.
    fn record(r: &mut Recorder, j: u64) {
        let second = (j / 100) as usize;
        r.due(second, Duration::from_micros(20 + j % 900));
        match j % 17 {
            0 => return r.failed(second, Failure::Dropped, Duration::from_millis(3 + j % 50), None),
            1 => return r.failed(second, Failure::Timeout, Duration::from_secs(2), Some(Duration::from_secs(2))),
            _ => {}
        }
        r.sent(second, Duration::from_micros(j % 3 * 700), j % 3 != 2, j % 3 == 2);
        r.answered(second, Duration::from_micros(900 + j * 37 % 250_000), Duration::from_micros(800 + j * 31 % 200_000), !j.is_multiple_of(11));
        if j.is_multiple_of(13) {
            r.error(second, "status_5xx");
        } else {
            r.ok(second);
        }
    }

    fn results(total: u64, count: u32, thread: ThreadUse) -> Vec<GeneratorResult> {
        (0..count)
            .map(|i| {
                let share = Share::new(i, count).unwrap();
                let mut r = Recorder::default();
                (0..share.len(total)).for_each(|m| record(&mut r, share.request(m)));
                r.threads.push(ThreadUse { cpu: Some(i as usize), ..thread.clone() });
                let origin = Origin { share, start_unix_ns: 7, schedule_requests: total, host: format!("load-{i}") };
                let json = serde_json::to_string(&GeneratorResult::encode(&r, origin).unwrap()).unwrap();
                serde_json::from_str(&json).unwrap()
            })
            .collect()
    }

    fn calm() -> ThreadUse {
        ThreadUse { cpu: None, pinned: true, realtime: true, idle_polling: false, cpu_time_us: 100_000, wall_time_us: 1_000_000 }
    }

    fn buckets(h: &hdrhistogram::Histogram<u64>) -> Vec<(u64, u64)> {
        h.iter_recorded().map(|v| (v.value_iterated_to(), v.count_at_value())).collect()
    }

    #[test]
    fn merging_the_shares_results_equals_recording_every_sample_in_one_recorder() {
        let total = 1_234;
        let mut single = Recorder::default();
        (0..total).for_each(|j| record(&mut single, j));
        for count in [1, 2, 3] {
            let merged = merge(&results(total, count, calm())).unwrap();
            let m = &merged.recorder;
            assert_eq!((m.asked, merged.schedule_requests), (total, total), "{count} generators");
            for (mine, theirs) in [
                (&m.response_us, &single.response_us),
                (&m.service_us, &single.service_us),
                (&m.lag_us, &single.lag_us),
                (&m.connection_wait_us, &single.connection_wait_us),
            ] {
                assert_eq!(buckets(mine), buckets(theirs));
                assert_eq!(Percentiles::of(mine), Percentiles::of(theirs));
            }
            let counts =
                |r: &Recorder| (r.asked, r.sent, r.sent_on_time, r.waited_past_bound, r.answered, r.answered_in_window, r.ok, r.dropped, r.errors.clone());
            assert_eq!(counts(m), counts(&single));
            assert_eq!(m.seconds.len(), single.seconds.len());
            for (a, b) in m.seconds.iter().zip(&single.seconds) {
                assert_eq!((a.asked, a.sent, a.ok, &a.errors, buckets(&a.response_us)), (b.asked, b.sent, b.ok, &b.errors, buckets(&b.response_us)));
            }
            assert_eq!(merged.generators.len(), count as usize);
            assert_eq!(merged.generators.iter().map(|g| g.dropped).sum::<u64>(), single.dropped, "each generator's drops are kept");
        }
    }

    #[test]
    fn the_merged_run_is_generator_limited_when_any_generator_is_and_says_which() {
        let mut results = results(600, 3, calm());
        let mut busy = results[1].decode().unwrap();
        busy.threads[0].cpu_time_us = 990_000;
        let origin = Origin { share: results[1].share, start_unix_ns: 7, schedule_requests: 600, host: "load-1".into() };
        results[1] = GeneratorResult::encode(&busy, origin).unwrap();
        let merged = merge(&results).unwrap();
        let summary = merged.summary(Some(100.0), Duration::from_secs(6));
        assert!(summary.generator_limited);
        assert_eq!(summary.generator_limited_reasons.len(), 1, "{:?}", summary.generator_limited_reasons);
        assert!(
            summary.generator_limited_reasons[0].starts_with("generator 1/3 on load-1: a load thread used 99 %"),
            "{:?}",
            summary.generator_limited_reasons
        );
        assert!(merged.generators[0].generator_limited_reasons.is_empty());
    }

    #[test]
    fn results_that_are_not_the_shares_of_one_schedule_are_refused() {
        let all = results(100, 3, calm());
        let missing = merge(&all[..2]).unwrap_err();
        assert!(missing.to_string().contains("3 shares expected, got indices [0, 1]"), "{missing}");
        let mut other_start = all.clone();
        other_start[2].start_unix_ns += 1;
        assert!(matches!(merge(&other_start), Err(MergeError::NotOneSchedule(_))));
        let mut short = all.clone();
        short[0].counters.asked -= 1;
        assert!(matches!(merge(&short), Err(MergeError::Incomplete { asked: 33, expected: 34, .. })));
        let mut cut = all;
        cut[1].histograms.lag_us.truncate(10);
        assert!(matches!(merge(&cut), Err(MergeError::Wire(WireError::Decode { which: "lag_us", .. }))));
        assert!(matches!(merge(&[]), Err(MergeError::Empty)));
    }
}
