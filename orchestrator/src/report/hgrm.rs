//! `.hgrm` files: HdrHistogram's percentile distribution text, values in milliseconds — byte for
//! byte what HdrHistogram's `outputPercentileDistribution` prints (so its plotters read them): a
//! header, a blank line, one row per percentile step (value, percentile, cumulative count,
//! 1/(1-percentile)), and three footer lines. Java prints numbers rounding half up on the shortest
//! decimal form of a double; `fixed` does the same.

use hdrhistogram::Histogram;

use crate::load::Recorder;

/// Percentile steps per halving of the distance to 100 % (HdrHistogram's default).
const TICKS_PER_HALF_DISTANCE: u32 = 5;
/// Microseconds per millisecond: the files show milliseconds.
const US_PER_MS: f64 = 1000.0;

/// The response-time distribution of a phase, in the format HdrHistogram tools plot.
pub fn distribution(recorder: &Recorder) -> String {
    percentile_distribution(&recorder.response_us, US_PER_MS)
}

/// HdrHistogram's percentile distribution of `h`, values divided by `unit_ratio`.
pub fn percentile_distribution(h: &Histogram<u64>, unit_ratio: f64) -> String {
    let digits = usize::from(h.sigfig());
    let mut out = format!("{:>12} {:>14} {:>10} {:>14}\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    for step in steps(h) {
        let value = fixed(step.value as f64 / unit_ratio, digits);
        let quantile = step.percentile / 100.0;
        out.push_str(&format!("{value:>12} {:>2} {:>10}", fixed(quantile, 12), step.total_count));
        if step.percentile != 100.0 {
            out.push_str(&format!(" {:>14}", fixed(1.0 / (1.0 - quantile), 2)));
        }
        out.push('\n');
    }
    out + &footer(h, unit_ratio, digits)
}

/// One printed row: the value reached, the percentile level (0–100) and the count up to it.
struct Step {
    value: u64,
    percentile: f64,
    total_count: u64,
}

/// HdrHistogram's percentile iteration: levels advance in ticks that halve with each halving of
/// the distance to 100 %; a row when the share of values up to a bucket reaches the level; the
/// last recorded bucket gives one row, then one more at 100 %.
fn steps(h: &Histogram<u64>) -> Vec<Step> {
    let total = h.len();
    let (mut steps, mut level, mut count) = (Vec::new(), 0.0_f64, 0_u64);
    for bucket in h.iter_recorded() {
        count += bucket.count_at_value();
        let value = bucket.value_iterated_to();
        if count == total {
            steps.push(Step { value, percentile: level, total_count: count });
            steps.push(Step { value, percentile: 100.0, total_count: count });
            break;
        }
        while 100.0 * count as f64 / total as f64 >= level {
            steps.push(Step { value, percentile: level, total_count: count });
            level += 100.0 / reporting_ticks(level) as f64;
        }
    }
    steps
}

/// Ticks across 0–100 % at `level`: the default per half distance, doubled per halving so far.
fn reporting_ticks(level: f64) -> u64 {
    let halvings = ((100.0 / (100.0 - level)).ln() / 2.0_f64.ln()) as u32;
    u64::from(TICKS_PER_HALF_DISTANCE) << (halvings + 1)
}

/// Mean, standard deviation, max, count, and the histogram's layout.
fn footer(h: &Histogram<u64>, unit_ratio: f64, digits: usize) -> String {
    let (mean, stdev) = mean_and_deviation(h);
    let sub_buckets = (2 * 10_u64.pow(u32::from(h.sigfig()))).next_power_of_two();
    let max = if h.is_empty() { 0 } else { h.max() };
    format!(
        "#[Mean    = {:>12}, StdDeviation   = {:>12}]\n#[Max     = {:>12}, Total count    = {:>12}]\n#[Buckets = {:>12}, SubBuckets     = {:>12}]\n",
        fixed(mean / unit_ratio, digits),
        fixed(stdev / unit_ratio, digits),
        fixed(max as f64 / unit_ratio, digits),
        h.len(),
        h.buckets(),
        sub_buckets
    )
}

/// Mean and standard deviation over each bucket's middle value, summed in HdrHistogram's order
/// (the crate's own `mean` divides per bucket, which can differ in the last printed digit).
fn mean_and_deviation(h: &Histogram<u64>) -> (f64, f64) {
    if h.is_empty() {
        return (0.0, 0.0);
    }
    let middle = |value: u64| h.median_equivalent(value) as f64;
    let total: f64 = h.iter_recorded().map(|b| middle(b.value_iterated_to()) * b.count_at_value() as f64).sum();
    let mean = total / h.len() as f64;
    let squares: f64 = h.iter_recorded().map(|b| (middle(b.value_iterated_to()) - mean).powi(2) * b.count_at_value() as f64).sum();
    (mean, (squares / h.len() as f64).sqrt())
}

/// `x` (not negative) with `decimals` decimals as Java's `%.Nf` prints it: the shortest decimal
/// form of the double, rounded half up.
fn fixed(x: f64, decimals: usize) -> String {
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let digits = mantissa.replace('.', "");
    let before_point = exponent.parse::<i64>().expect("an integer exponent") + 1;
    // All digits from the units up, the point after `before_point`, padded to `decimals` + 1 decimals.
    let (mut int_part, frac_part) = match usize::try_from(before_point) {
        Err(_) => ("0".to_string(), "0".repeat(before_point.unsigned_abs() as usize) + &digits),
        Ok(n) if n >= digits.len() => (digits.clone() + &"0".repeat(n - digits.len()), String::new()),
        Ok(n) => (digits[..n].to_string(), digits[n..].to_string()),
    };
    let frac_part = frac_part + &"0".repeat(decimals + 1);
    int_part.push_str(&frac_part[..decimals]);
    let mut kept = int_part.into_bytes();
    if frac_part.as_bytes()[decimals] >= b'5' {
        round_up(&mut kept);
    }
    let text = String::from_utf8(kept).expect("ASCII digits");
    let (int_digits, frac_digits) = text.split_at(text.len() - decimals);
    let int_digits = if int_digits.is_empty() { "0" } else { int_digits.trim_start_matches('0') };
    let int_digits = if int_digits.is_empty() { "0" } else { int_digits };
    if decimals == 0 {
        int_digits.to_string()
    } else {
        format!("{int_digits}.{frac_digits}")
    }
}

/// Adds one to a decimal number written as ASCII digits.
fn round_up(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::stats::histogram;
    use hdrhistogram::Histogram;

    /// The values `testdata/JavaReference.java` records (the same generator, step by step).
    fn reference_values(n: u64) -> Histogram<u64> {
        let mut h = histogram();
        let mut x: u64 = 12345;
        for i in 0..n {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let v = 200 + (x >> 33) % 40_000;
            h.record(if i % 97 == 0 { v * 25 } else { v }).unwrap();
        }
        h
    }

    fn ms(us: u64) -> f64 {
        us as f64 / 1000.0
    }

    fn written(h: Histogram<u64>) -> String {
        distribution(&Recorder { response_us: h, ..Recorder::default() })
    }

    /// A data row read back: value (ms), percentile, cumulative count.
    struct Row {
        value_ms: f64,
        percentile: f64,
        total_count: u64,
    }

    /// Reads a percentile distribution back (header, blank line, rows, three footer lines).
    fn parse(text: &str) -> (Vec<Row>, Vec<&str>) {
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("       Value     Percentile TotalCount 1/(1-Percentile)"));
        assert_eq!(lines.next(), Some(""));
        let (mut rows, mut footer) = (Vec::new(), Vec::new());
        for line in lines {
            if line.starts_with("#[") {
                footer.push(line);
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert!(fields.len() == 4 || fields.len() == 3, "not a row: {line:?}");
            rows.push(Row { value_ms: fields[0].parse().unwrap(), percentile: fields[1].parse().unwrap(), total_count: fields[2].parse().unwrap() });
        }
        (rows, footer)
    }

    #[test]
    fn a_written_distribution_reads_back_with_cumulative_counts_and_the_histograms_percentiles() {
        let h = reference_values(5000);
        let text = written(h.clone());
        let (rows, footer) = parse(&text);
        assert_eq!(rows.len(), h.iter_quantiles(5).count(), "one row per percentile step");
        assert!(rows.windows(2).all(|w| w[0].total_count <= w[1].total_count && w[0].percentile < w[1].percentile));
        let last = rows.last().unwrap();
        assert_eq!((last.total_count, last.percentile), (h.len(), 1.0), "TotalCount is cumulative and ends at the count");
        // P50 is a step of its own; P99 falls between two steps (…0.989, 0.991…) and must lie
        // between their values.
        let p50 = rows.iter().find(|r| r.percentile == 0.5).unwrap();
        assert!(
            (p50.value_ms - ms(h.value_at_quantile(0.5))).abs() <= 0.0005,
            "P50 {} ms written, {} ms in memory",
            p50.value_ms,
            ms(h.value_at_quantile(0.5))
        );
        let above = rows.iter().position(|r| r.percentile >= 0.99).unwrap();
        let p99 = ms(h.value_at_quantile(0.99));
        assert!(rows[above - 1].value_ms - 0.0005 <= p99 && p99 <= rows[above].value_ms + 0.0005, "P99 {p99} ms outside its rows");
        assert_eq!(footer.len(), 3, "{footer:?}");
        assert_eq!(footer[2], "#[Buckets =           16, SubBuckets     =         2048]");
    }

    #[test]
    fn the_file_is_byte_for_byte_what_hdrhistograms_java_writer_prints() {
        assert_eq!(written(reference_values(5000)), include_str!("testdata/java-5000.hgrm"));
        assert_eq!(written(reference_values(200_000)), include_str!("testdata/java-200000.hgrm"));
    }

    #[test]
    fn an_empty_histogram_writes_only_the_header_and_footer() {
        let expected = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n#[Mean    =        0.000, StdDeviation   =        0.000]\n\
            #[Max     =        0.000, Total count    =            0]\n#[Buckets =           16, SubBuckets     =         2048]\n";
        assert_eq!(written(histogram()), expected);
    }

    #[test]
    fn numbers_round_half_up_on_their_shortest_decimal_form_as_java_prints_them() {
        // What Java's String.format(Locale.US, "%.Nf", x) prints for each.
        let cases = [(0.125, 2, "0.13"), (2.5, 0, "3"), (0.0, 3, "0.000"), (9.9996, 3, "10.000"), (1e-7, 3, "0.000"), (123456.0, 2, "123456.00")];
        for (x, decimals, java) in cases {
            assert_eq!(fixed(x, decimals), java, "{x} with {decimals} decimals");
        }
        assert_eq!(fixed(1.0 - 1.0 / 40960.0, 12), "0.999975585938");
    }
}
