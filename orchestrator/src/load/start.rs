//! A common start instant for generators on different machines: a wall-clock time (Unix epoch,
//! nanoseconds) turned into this process's monotonic clock once, before the phase. After that
//! every intended send is `start + offset` on the monotonic clock, so a clock step during the
//! run moves nothing; clocks that disagree between machines shift whole shares (`doctor`
//! measures the offset).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use thiserror::Error;

/// Furthest in the future a start may lie (beyond it, the instant is more likely a mistake of
/// unit or clock than a plan).
pub const MAX_START_AHEAD: Duration = Duration::from_secs(600);

#[derive(Debug, Error, PartialEq)]
pub enum StartError {
    #[error("the start instant passed {late_ms} ms ago: give one a few seconds ahead (and check this host's clock against the orchestrator's with `bakeoff doctor`)")]
    Passed { late_ms: u128 },
    #[error("the start instant is {ahead_s} s ahead, more than {} s: give it in nanoseconds since the Unix epoch, a few seconds ahead", MAX_START_AHEAD.as_secs())]
    TooFar { ahead_s: u64 },
}

/// Nanoseconds since the Unix epoch now (the wall clock).
pub fn unix_now_ns() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

/// The monotonic instant at which the wall clock reads `unix_ns`.
pub fn instant_of_unix_ns(unix_ns: u64) -> Result<Instant, StartError> {
    let (now, now_ns) = (Instant::now(), unix_now_ns());
    if unix_ns < now_ns {
        return Err(StartError::Passed { late_ms: u128::from(now_ns - unix_ns) / 1_000_000 });
    }
    let ahead = Duration::from_nanos(unix_ns - now_ns);
    if ahead > MAX_START_AHEAD {
        return Err(StartError::TooFar { ahead_s: ahead.as_secs() });
    }
    Ok(now + ahead)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_ahead_becomes_the_monotonic_instant_that_far_ahead() {
        let start = instant_of_unix_ns(unix_now_ns() + 300_000_000).unwrap();
        let ahead = start - Instant::now();
        assert!((Duration::from_millis(290)..=Duration::from_millis(300)).contains(&ahead), "{ahead:?}");
    }

    #[test]
    fn a_passed_or_far_start_is_refused_with_what_to_do() {
        let passed = instant_of_unix_ns(unix_now_ns() - 2_000_000_000).unwrap_err();
        assert!(matches!(passed, StartError::Passed { late_ms } if (2_000..2_100).contains(&late_ms)), "{passed:?}");
        assert!(passed.to_string().contains("a few seconds ahead"));
        let far = instant_of_unix_ns(unix_now_ns() + 3_600_000_000_000).unwrap_err();
        assert!(matches!(far, StartError::TooFar { ahead_s: 3_599 | 3_600 }), "{far:?}");
    }
}
