//! The arrival schedule of the open model: when request i is meant to start.
//!
//! A profile is a sequence of segments whose rate changes linearly (constant, ramp, steps and
//! spikes are all such sequences). The intended start of request i is the time t at which the
//! cumulative arrival count N(t) = ∫ rate reaches i — computed exactly by inverting N from one
//! start instant, never by adding up gaps (which would drift).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// An arrival-rate profile, as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Profile {
    /// The same rate throughout.
    Constant { rps: f64, duration_s: f64 },
    /// A linear change of rate.
    Ramp { from_rps: f64, to_rps: f64, duration_s: f64 },
    /// Constant stages one after another.
    Steps { stages: Vec<Stage> },
    /// A base rate with one burst at `peak_rps` for `spike_s` seconds starting at `at_s`.
    Spike { base_rps: f64, peak_rps: f64, duration_s: f64, at_s: f64, spike_s: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub rps: f64,
    pub duration_s: f64,
}

/// One linear piece: rate goes from `start_rps` to `end_rps` over `duration_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    start_rps: f64,
    end_rps: f64,
    duration_s: f64,
}

impl Segment {
    fn arrivals(&self) -> f64 {
        (self.start_rps + self.end_rps) / 2.0 * self.duration_s
    }

    /// Seconds into the segment at which `n` arrivals have accumulated (n ≤ arrivals()).
    fn time_of(&self, n: f64) -> f64 {
        let slope = (self.end_rps - self.start_rps) / self.duration_s;
        let root = (self.start_rps * self.start_rps + 2.0 * slope * n).max(0.0).sqrt();
        // 2n / (r0 + sqrt(r0² + 2an)) is the stable form of (-r0 + sqrt(...)) / a, also for a = 0.
        if self.start_rps + root > 0.0 {
            2.0 * n / (self.start_rps + root)
        } else {
            0.0
        }
    }
}

/// A profile prepared for lookups.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// (start time s, arrivals before it, segment)
    pieces: Vec<(f64, f64, Segment)>,
    total_arrivals: u64,
    duration_s: f64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProfileError {
    #[error("a load profile needs rates >= 0 and durations > 0 (got {0})")]
    Invalid(String),
}

impl Profile {
    fn segments(&self) -> Vec<Segment> {
        let flat = |rps: f64, duration_s: f64| Segment { start_rps: rps, end_rps: rps, duration_s };
        match self {
            Profile::Constant { rps, duration_s } => vec![flat(*rps, *duration_s)],
            Profile::Ramp { from_rps, to_rps, duration_s } => {
                vec![Segment { start_rps: *from_rps, end_rps: *to_rps, duration_s: *duration_s }]
            }
            Profile::Steps { stages } => stages.iter().map(|s| flat(s.rps, s.duration_s)).collect(),
            Profile::Spike { base_rps, peak_rps, duration_s, at_s, spike_s } => {
                let after = duration_s - at_s - spike_s;
                vec![flat(*base_rps, *at_s), flat(*peak_rps, *spike_s), flat(*base_rps, after)].into_iter().filter(|s| s.duration_s > 0.0).collect()
            }
        }
    }

    pub fn schedule(&self) -> Result<Schedule, ProfileError> {
        let segments = self.segments();
        let bad = |s: &Segment| !(s.duration_s > 0.0 && s.start_rps >= 0.0 && s.end_rps >= 0.0 && s.duration_s.is_finite());
        if segments.is_empty() || segments.iter().any(bad) {
            return Err(ProfileError::Invalid(format!("{self:?}")));
        }
        let (mut at, mut before, mut pieces) = (0.0, 0.0, Vec::new());
        for segment in segments {
            pieces.push((at, before, segment));
            at += segment.duration_s;
            before += segment.arrivals();
        }
        Ok(Schedule { pieces, total_arrivals: before.ceil() as u64, duration_s: at })
    }
}

impl Schedule {
    /// Number of requests the profile sends.
    pub fn total(&self) -> u64 {
        self.total_arrivals
    }

    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.duration_s)
    }

    /// When request `i` (0-based) is meant to start, from the run's start; None past the end.
    pub fn at(&self, i: u64) -> Option<Duration> {
        if i >= self.total_arrivals {
            return None;
        }
        let n = i as f64;
        // The last piece that starts at or before n arrivals (idle pieces share their successor's
        // count and are passed over).
        let index = self.pieces.partition_point(|(_, before, _)| *before <= n).saturating_sub(1);
        let (start, before, segment) = self.pieces[index];
        let within = segment.time_of(n - before).min(segment.duration_s);
        Some(Duration::from_secs_f64(start + within))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(profile: Profile) -> Vec<f64> {
        let schedule = profile.schedule().unwrap();
        (0..schedule.total()).map(|i| schedule.at(i).unwrap().as_secs_f64()).collect()
    }

    #[test]
    fn a_constant_rate_spaces_requests_evenly_from_zero() {
        let t = times(Profile::Constant { rps: 100.0, duration_s: 2.0 });
        assert_eq!(t.len(), 200);
        assert_eq!(t[0], 0.0);
        assert!((t[1] - 0.01).abs() < 1e-12);
        assert!((t[199] - 1.99).abs() < 1e-9);
    }

    #[test]
    fn no_request_is_scheduled_past_the_end() {
        let schedule = Profile::Constant { rps: 10.0, duration_s: 1.0 }.schedule().unwrap();
        assert_eq!(schedule.at(9).map(|d| d.as_millis()), Some(900));
        assert_eq!(schedule.at(10), None);
    }

    #[test]
    fn a_linear_ramp_follows_the_quadratic_arrival_curve() {
        // Rate 0 → 200 over 10 s: N(t) = 10 t², 1,000 requests; request i at sqrt(i / 10).
        let t = times(Profile::Ramp { from_rps: 0.0, to_rps: 200.0, duration_s: 10.0 });
        assert_eq!(t.len(), 1000);
        for i in [1usize, 10, 250, 640, 999] {
            assert!((t[i] - (i as f64 / 10.0).sqrt()).abs() < 1e-9, "request {i} at {}", t[i]);
        }
        let first_second = t.iter().filter(|&&x| x < 1.0).count();
        let last_second = t.iter().filter(|&&x| x >= 9.0).count();
        assert_eq!((first_second, last_second), (10, 190));
    }

    #[test]
    fn a_downward_ramp_is_the_mirror_image() {
        let t = times(Profile::Ramp { from_rps: 200.0, to_rps: 0.0, duration_s: 10.0 });
        assert_eq!(t.len(), 1000);
        assert_eq!(t.iter().filter(|&&x| x < 1.0).count(), 190);
    }

    #[test]
    fn a_spike_sends_its_peak_rate_only_inside_the_window() {
        let t = times(Profile::Spike { base_rps: 10.0, peak_rps: 500.0, duration_s: 10.0, at_s: 4.0, spike_s: 1.0 });
        assert_eq!(t.len(), 10 * 9 + 500);
        let in_window = t.iter().filter(|&&x| (4.0..5.0).contains(&x)).count();
        assert_eq!(in_window, 500);
        assert_eq!(t.iter().filter(|&&x| (5.0..6.0).contains(&x)).count(), 10);
    }

    #[test]
    fn steps_change_rate_at_each_boundary_and_skip_idle_stages() {
        let stages = vec![Stage { rps: 50.0, duration_s: 2.0 }, Stage { rps: 0.0, duration_s: 1.0 }, Stage { rps: 100.0, duration_s: 1.0 }];
        let t = times(Profile::Steps { stages });
        assert_eq!(t.len(), 200);
        assert_eq!(t.iter().filter(|&&x| (2.0..3.0).contains(&x)).count(), 0);
        assert_eq!(t.iter().filter(|&&x| x >= 3.0).count(), 100);
        assert!((t[100] - 3.0).abs() < 1e-9, "first request of the last stage at {}", t[100]);
    }

    #[test]
    fn times_never_go_backwards() {
        let t = times(Profile::Spike { base_rps: 3.3, peak_rps: 77.7, duration_s: 9.0, at_s: 2.5, spike_s: 0.5 });
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn invalid_profiles_are_refused() {
        assert!(Profile::Constant { rps: -1.0, duration_s: 1.0 }.schedule().is_err());
        assert!(Profile::Constant { rps: 1.0, duration_s: 0.0 }.schedule().is_err());
        assert!(Profile::Steps { stages: vec![] }.schedule().is_err());
    }
}
