//! `.hgrm` files: HdrHistogram's percentile distribution text, values in milliseconds.

use crate::load::Recorder;

/// The response-time distribution of a phase, in the format HdrHistogram tools plot.
pub fn distribution(recorder: &Recorder) -> String {
    let h = &recorder.response_us;
    let mut out = format!("{:>12} {:>14} {:>10} {:>14}\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    for v in h.iter_quantiles(5) {
        let q = v.quantile_iterated_to();
        let inverse = if q < 1.0 { format!("{:>14.2}", 1.0 / (1.0 - q)) } else { String::new() };
        out.push_str(&format!("{:>12.3} {:>14.12} {:>10} {inverse}\n", v.value_iterated_to() as f64 / 1000.0, q, v.count_since_last_iteration()));
    }
    out.push_str(&format!(
        "#[Mean    = {:>12.3}, StdDeviation   = {:>12.3}]\n#[Max     = {:>12.3}, Total count    = {:>12}]\n#[Buckets = {:>12}, SubBuckets     = {:>12}]\n",
        h.mean() / 1000.0,
        h.stdev() / 1000.0,
        h.max() as f64 / 1000.0,
        h.len(),
        h.buckets(),
        h.distinct_values()
    ));
    out
}
