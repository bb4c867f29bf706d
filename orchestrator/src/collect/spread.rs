//! Repetitions (`bakeoff run --repeat N`): the raw figures of every repetition, and per figure
//! the median, a 95 % confidence interval of the median (percentile bootstrap over the
//! repetitions) and the coefficient of variation; a figure whose CV is over 10 % is *noisy*.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::AppResult;
use crate::load::WorkloadKind;

/// A figure is noisy when its coefficient of variation over the repetitions is above this.
pub const NOISY_CV: f64 = 0.10;
/// Bootstrap resamples per interval (fixed seed: the same runs give the same interval).
const RESAMPLES: usize = 2000;

/// One repetition's key figures for one app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepeatFigures {
    /// 0 is the first repetition (whose full results are the app's other fields).
    pub repetition: u32,
    pub figures: Vec<Figure>,
}

/// One figure of one workload in one repetition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Figure {
    pub workload: WorkloadKind,
    /// `p50_us`, `p99_us`, `throughput_rps` (steady) or `capacity_rps`.
    pub metric: String,
    pub value: f64,
}

/// A figure over the repetitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Spread {
    pub workload: WorkloadKind,
    pub metric: String,
    /// Repetitions that measured it.
    pub n: usize,
    pub median: f64,
    /// 95 % confidence interval of the median (percentile bootstrap).
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Standard deviation over the mean (sample standard deviation); 0 with one repetition.
    pub cv: f64,
    /// CV over [`NOISY_CV`].
    pub noisy: bool,
}

/// The key figures of `app` as measured in one repetition.
pub fn figures_of(app: &AppResult, repetition: u32) -> RepeatFigures {
    let mut figures = Vec::new();
    for w in &app.workloads {
        let r = &w.load.response_time;
        for (metric, value) in [("p50_us", r.p50_us as f64), ("p99_us", r.p99_us as f64), ("throughput_rps", w.load.throughput_rps)] {
            figures.push(Figure { workload: w.workload, metric: metric.into(), value });
        }
    }
    for c in &app.capacity {
        if let Some(rps) = c.capacity_rps {
            figures.push(Figure { workload: c.workload, metric: "capacity_rps".into(), value: rps });
        }
    }
    RepeatFigures { repetition, figures }
}

/// Every figure measured in the repetitions, with its spread.
pub fn spreads(repeats: &[RepeatFigures]) -> Vec<Spread> {
    let mut keys: Vec<(WorkloadKind, String)> = repeats.iter().flat_map(|r| r.figures.iter().map(|f| (f.workload, f.metric.clone()))).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|(workload, metric)| {
            let values: Vec<f64> =
                repeats.iter().flat_map(|r| r.figures.iter()).filter(|f| f.workload == workload && f.metric == metric).map(|f| f.value).collect();
            spread_of(&values).map(|s| Spread { workload, metric, ..s })
        })
        .collect()
}

/// Median, bootstrap 95 % interval of the median and CV of `values`; None when empty.
pub fn spread_of(values: &[f64]) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    let (ci95_low, ci95_high) = bootstrap_median_ci(values);
    let cv = coefficient_of_variation(values);
    Some(Spread {
        workload: WorkloadKind::Fixed,
        metric: String::new(),
        n: values.len(),
        median: median(values),
        ci95_low,
        ci95_high,
        cv,
        noisy: cv > NOISY_CV,
    })
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// Sample standard deviation over the mean; 0 for fewer than two values or a zero mean.
pub fn coefficient_of_variation(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 || mean == 0.0 {
        return 0.0;
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    variance.sqrt() / mean.abs()
}

/// The 2.5th and 97.5th percentiles of the medians of `RESAMPLES` resamples with replacement.
pub fn bootstrap_median_ci(values: &[f64]) -> (f64, f64) {
    if values.len() < 2 {
        return (values[0], values[0]);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
    let mut medians: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            let resample: Vec<f64> = (0..values.len()).map(|_| values[(rng.next_u64() % values.len() as u64) as usize]).collect();
            median(&resample)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    let at = |q: f64| medians[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    (at(0.025), at(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_odd_and_an_even_sample() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn the_cv_of_a_known_sample_is_its_sample_deviation_over_its_mean() {
        // mean 10, sample variance ((−2)² + 0 + 2²) / 2 = 4, deviation 2.
        assert!((coefficient_of_variation(&[8.0, 10.0, 12.0]) - 0.2).abs() < 1e-12);
        assert_eq!(coefficient_of_variation(&[5.0]), 0.0);
    }

    #[test]
    fn the_bootstrap_interval_holds_the_median_and_lies_within_the_sample() {
        let values = [98.0, 101.0, 99.5, 100.0, 102.5, 97.0, 100.5];
        let (low, high) = bootstrap_median_ci(&values);
        assert!(low <= 100.0 && 100.0 <= high, "[{low}, {high}]");
        assert!(low >= 97.0 && high <= 102.5, "[{low}, {high}]");
        assert!(high - low < 4.0, "a tight sample gives a tight interval: [{low}, {high}]");
        assert_eq!(bootstrap_median_ci(&values), (low, high), "the same sample gives the same interval");
    }

    #[test]
    fn a_wide_sample_has_a_wide_interval_and_is_flagged_noisy_a_tight_one_is_not() {
        let wide = spread_of(&[60.0, 100.0, 140.0, 80.0, 120.0]).unwrap();
        let tight = spread_of(&[99.0, 100.0, 101.0, 100.5, 99.5]).unwrap();
        assert!(wide.noisy && wide.cv > NOISY_CV, "{wide:?}");
        assert!(!tight.noisy && tight.cv < 0.02, "{tight:?}");
        assert!(wide.ci95_high - wide.ci95_low > 4.0 * (tight.ci95_high - tight.ci95_low), "{wide:?} vs {tight:?}");
    }

    #[test]
    fn spreads_group_figures_by_workload_and_metric_across_repetitions() {
        let rep = |n: u32, p99: f64| RepeatFigures {
            repetition: n,
            figures: vec![
                Figure { workload: WorkloadKind::Search, metric: "p99_us".into(), value: p99 },
                Figure { workload: WorkloadKind::Checkout, metric: "capacity_rps".into(), value: 50.0 },
            ],
        };
        let s = spreads(&[rep(0, 1000.0), rep(1, 1200.0), rep(2, 1100.0)]);
        assert_eq!(s.len(), 2);
        let p99 = s.iter().find(|s| s.metric == "p99_us").unwrap();
        assert_eq!((p99.workload, p99.n, p99.median), (WorkloadKind::Search, 3, 1100.0));
        let capacity = s.iter().find(|s| s.metric == "capacity_rps").unwrap();
        assert_eq!((capacity.cv, capacity.noisy, capacity.ci95_low, capacity.ci95_high), (0.0, false, 50.0, 50.0));
    }
}
