//! An app's own view of itself: one scrape of its `/metrics` (Prometheus text format), read through
//! the manifest's map of which family plays which part (RULES.md §8), and what two scrapes say
//! about the requests between them.

use std::collections::BTreeMap;

use openmetrics_parser::{MetricFamily, MetricsExposition, PrometheusType, PrometheusValue};
use serde::{Deserialize, Serialize};

use crate::images::manifest::{GcMeasure, Observability};

/// `/metrics` could not be read as the Prometheus text format.
#[derive(Debug, thiserror::Error)]
#[error("the /metrics answer is not the Prometheus text format: {0}")]
pub struct MetricsError(String);

/// One series of the request-duration histogram: cumulative bucket counts by upper bound.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouteHistogram {
    pub count: u64,
    pub sum_s: f64,
    /// (upper bound in seconds, cumulative count), ascending, `+Inf` last.
    pub buckets: Vec<(f64, f64)>,
}

/// Method, route template (placeholders normalised to `{}`) and status of a series.
pub type RouteKey = (String, String, String);

/// One parsed scrape.
pub struct Scrape {
    exposition: MetricsExposition<PrometheusType, PrometheusValue>,
}

/// `/metrics` text parsed with a Prometheus text-format parser.
pub fn parse(text: &str) -> Result<Scrape, MetricsError> {
    let text = if text.ends_with('\n') { text.to_string() } else { format!("{text}\n") };
    let exposition = openmetrics_parser::prometheus::parse_prometheus(&text).map_err(|e| MetricsError(format!("{e:?}")))?;
    Ok(Scrape { exposition })
}

/// `/products/:id`, `/products/{id}` and `/products/<int:id>` all become `/products/{}`.
pub fn normalise_route(route: &str) -> String {
    route
        .split('/')
        .map(|segment| {
            let placeholder =
                segment.starts_with(':') || (segment.starts_with('{') && segment.ends_with('}')) || (segment.starts_with('<') && segment.ends_with('>'));
            if placeholder {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Scrape {
    /// The family named `name` as in its `# TYPE` line (a counter also as `name_total` or without
    /// its `_total`, since libraries differ on which they print).
    pub fn family(&self, name: &str) -> Option<&MetricFamily<PrometheusType, PrometheusValue>> {
        let families = &self.exposition.families;
        families.get(name).or_else(|| families.get(&format!("{name}_total"))).or_else(|| name.strip_suffix("_total").and_then(|n| families.get(n)))
    }

    /// The type of family `name`, when it exists.
    pub fn family_type(&self, name: &str) -> Option<PrometheusType> {
        self.family(name).map(|f| f.family_type.clone())
    }

    /// The sum of every sample of a gauge, counter or untyped family (summary and histogram: the
    /// sum of their `_sum`s).
    pub fn total(&self, name: &str) -> Option<f64> {
        let family = self.family(name)?;
        Some(family.iter_samples().map(|s| scalar(&s.value)).sum())
    }

    /// The request-duration histogram's series keyed by (method, route, status), summed over any
    /// other labels (a worker id, say).
    pub fn request_histograms(&self, o: &Observability) -> Result<BTreeMap<RouteKey, RouteHistogram>, String> {
        let d = &o.request_duration;
        let family = self.family(&d.family).ok_or_else(|| format!("no family `{}`", d.family))?;
        if family.family_type != PrometheusType::Histogram {
            return Err(format!("`{}` is a {}, not a histogram", d.family, family.family_type));
        }
        let mut series: BTreeMap<RouteKey, RouteHistogram> = BTreeMap::new();
        for sample in family.iter_samples() {
            let labels = sample.get_labelset().map_err(|e| format!("{e:?}"))?;
            let label = |name: &str| labels.get_label_value(name).map(str::to_string).ok_or_else(|| format!("`{}` has no label `{name}`", d.family));
            let key = (label(&d.method)?.to_ascii_uppercase(), normalise_route(&label(&d.route)?), label(&d.status)?);
            let PrometheusValue::Histogram(h) = &sample.value else { continue };
            let entry = series.entry(key).or_default();
            entry.count += h.count.unwrap_or(0);
            entry.sum_s += h.sum.as_ref().map(|s| s.as_f64()).unwrap_or(0.0);
            let mut buckets: Vec<(f64, f64)> = h.buckets.iter().map(|b| (b.upper_bound, b.count.as_f64())).collect();
            buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
            entry.buckets = add_buckets(&entry.buckets, &buckets);
        }
        Ok(series)
    }

    /// What the manifest's families say right now.
    pub fn gauges(&self, o: &Observability) -> AppGauges {
        AppGauges {
            pool_in_use: self.total(&o.pool_in_use),
            pool_idle: self.total(&o.pool_idle),
            pool_waiting: self.total(&o.pool_waiting),
            cpu_seconds: self.total(&o.cpu_seconds),
            memory_bytes: self.total(&o.memory_bytes),
            gc: self.total(&o.gc.family),
            event_loop_lag_s: o.event_loop_lag.as_deref().and_then(|f| self.lag_seconds(f)),
        }
    }

    /// A lag gauge's largest sample, or a lag histogram's or summary's mean.
    fn lag_seconds(&self, name: &str) -> Option<f64> {
        let family = self.family(name)?;
        let values = family.iter_samples().map(|s| match &s.value {
            PrometheusValue::Histogram(h) => h.sum.as_ref().map(|x| x.as_f64()).unwrap_or(0.0) / h.count.unwrap_or(1).max(1) as f64,
            PrometheusValue::Summary(h) => h.sum.as_ref().map(|x| x.as_f64()).unwrap_or(0.0) / h.count.unwrap_or(1).max(1) as f64,
            other => scalar(other),
        });
        values.fold(None, |max: Option<f64>, v| Some(max.map_or(v, |m| m.max(v))))
    }
}

fn scalar(value: &PrometheusValue) -> f64 {
    match value {
        PrometheusValue::Unknown(n) | PrometheusValue::Gauge(n) => n.as_f64(),
        PrometheusValue::Counter(c) => c.value.as_f64(),
        PrometheusValue::Histogram(h) => h.sum.as_ref().map(|s| s.as_f64()).unwrap_or(0.0),
        PrometheusValue::Summary(s) => s.sum.as_ref().map(|s| s.as_f64()).unwrap_or(0.0),
    }
}

/// Bucket lists added bound by bound (series with different bounds keep the union; a bound one
/// side lacks counts what that side has at the next lower bound).
fn add_buckets(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if a.is_empty() {
        return b.to_vec();
    }
    let mut bounds: Vec<f64> = a.iter().chain(b).map(|x| x.0).collect();
    bounds.sort_by(f64::total_cmp);
    bounds.dedup();
    let at = |list: &[(f64, f64)], bound: f64| list.iter().filter(|x| x.0 <= bound).map(|x| x.1).next_back().unwrap_or(0.0);
    bounds.into_iter().map(|bound| (bound, at(a, bound) + at(b, bound))).collect()
}

/// The pool, CPU, memory, GC and event-loop figures of one scrape (None: the family is missing).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct AppGauges {
    pub pool_in_use: Option<f64>,
    pub pool_idle: Option<f64>,
    pub pool_waiting: Option<f64>,
    pub cpu_seconds: Option<f64>,
    pub memory_bytes: Option<f64>,
    /// Seconds or collections, as the manifest's `gc.measures` says.
    pub gc: Option<f64>,
    pub event_loop_lag_s: Option<f64>,
}

/// The requests a histogram saw between two scrapes: `after − before`, series by series.
pub fn difference(before: &BTreeMap<RouteKey, RouteHistogram>, after: &BTreeMap<RouteKey, RouteHistogram>) -> BTreeMap<RouteKey, RouteHistogram> {
    after
        .iter()
        .map(|(key, a)| {
            let b = before.get(key).cloned().unwrap_or_default();
            let buckets = a
                .buckets
                .iter()
                .map(|(bound, count)| (*bound, count - b.buckets.iter().filter(|x| x.0 <= *bound).map(|x| x.1).next_back().unwrap_or(0.0)))
                .collect();
            (key.clone(), RouteHistogram { count: a.count.saturating_sub(b.count), sum_s: a.sum_s - b.sum_s, buckets })
        })
        .filter(|(_, h)| h.count > 0)
        .collect()
}

/// The quantile `q` of a cumulative histogram, interpolated linearly inside its bucket (as
/// Prometheus' `histogram_quantile` does); None when it is empty. A quantile in the `+Inf` bucket
/// is the highest finite bound: the histogram cannot say more.
pub fn quantile_s(h: &RouteHistogram, q: f64) -> Option<f64> {
    let total = h.buckets.last().map(|b| b.1)?;
    if total <= 0.0 {
        return None;
    }
    let rank = q * total;
    let mut lower = (0.0, 0.0);
    for &(bound, count) in &h.buckets {
        if count >= rank {
            if bound.is_infinite() {
                return Some(lower.0);
            }
            let within = if count > lower.1 { (rank - lower.1) / (count - lower.1) } else { 1.0 };
            return Some(lower.0 + (bound - lower.0) * within);
        }
        lower = (bound, count);
    }
    Some(lower.0)
}

/// Series of several routes merged into one histogram.
pub fn merge<'a>(series: impl IntoIterator<Item = &'a RouteHistogram>) -> RouteHistogram {
    series.into_iter().fold(RouteHistogram::default(), |acc, h| RouteHistogram {
        count: acc.count + h.count,
        sum_s: acc.sum_s + h.sum_s,
        buckets: add_buckets(&acc.buckets, &h.buckets),
    })
}

/// Whether the GC figure is time.
pub fn gc_is_time(o: &Observability) -> bool {
    o.gc.measures == GcMeasure::Seconds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::manifest::{GcFamily, RequestDurationFamily};

    fn observability(family: &str, route_label: &str) -> Observability {
        Observability {
            access_log: "test".into(),
            metrics: "test".into(),
            request_duration: RequestDurationFamily { family: family.into(), method: "method".into(), route: route_label.into(), status: "status".into() },
            pool_in_use: "pool_in_use".into(),
            pool_idle: "pool_idle".into(),
            pool_waiting: "pool_waiting".into(),
            cpu_seconds: "process_cpu_seconds_total".into(),
            memory_bytes: "process_resident_memory_bytes".into(),
            gc: GcFamily { family: "go_gc_duration_seconds".into(), measures: GcMeasure::Seconds },
            event_loop_lag: None,
        }
    }

    const SPRING_LIKE: &str = r#"# HELP http_server_requests_seconds
# TYPE http_server_requests_seconds histogram
http_server_requests_seconds_bucket{method="GET",status="200",uri="/products/{id}",le="0.005"} 3
http_server_requests_seconds_bucket{method="GET",status="200",uri="/products/{id}",le="0.01"} 4
http_server_requests_seconds_bucket{method="GET",status="200",uri="/products/{id}",le="+Inf"} 4
http_server_requests_seconds_count{method="GET",status="200",uri="/products/{id}"} 4
http_server_requests_seconds_sum{method="GET",status="200",uri="/products/{id}"} 0.012
# HELP pool_in_use connections lent out
# TYPE pool_in_use gauge
pool_in_use{pool="a"} 1
pool_in_use{pool="b"} 2
# HELP empty_histogram no observations yet
# TYPE empty_histogram histogram
# HELP process_cpu_seconds_total cpu
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
# TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0.5"} 0.0001
go_gc_duration_seconds_sum 0.25
go_gc_duration_seconds_count 12
"#;

    #[test]
    fn a_route_label_with_braces_parses_and_placeholders_of_every_router_compare_equal() {
        let scrape = parse(SPRING_LIKE).unwrap();
        let series = scrape.request_histograms(&observability("http_server_requests_seconds", "uri")).unwrap();
        let key = ("GET".to_string(), "/products/{}".to_string(), "200".to_string());
        assert_eq!(series[&key].count, 4, "{series:?}");
        assert_eq!(normalise_route("/products/:id"), "/products/{}");
        assert_eq!(normalise_route("/carts/<uuid:id>/items"), "/carts/{}/items");
        assert_eq!(normalise_route("/products/search"), "/products/search");
    }

    #[test]
    fn gauges_sum_their_series_and_a_summary_gives_its_sum() {
        let scrape = parse(SPRING_LIKE).unwrap();
        let g = scrape.gauges(&observability("http_server_requests_seconds", "uri"));
        assert_eq!((g.pool_in_use, g.cpu_seconds, g.gc, g.pool_idle), (Some(3.0), Some(1.5), Some(0.25), None));
        assert_eq!(scrape.total("process_cpu_seconds"), Some(1.5), "a counter is found with or without _total");
    }

    #[test]
    fn text_that_is_not_the_format_is_an_error() {
        assert!(parse("<html>not metrics</html>").is_err());
    }

    #[test]
    fn the_difference_of_two_scrapes_counts_only_the_requests_between_them() {
        let before = BTreeMap::from([(
            ("GET".into(), "/health".into(), "200".into()),
            RouteHistogram { count: 2, sum_s: 0.01, buckets: vec![(0.005, 2.0), (f64::INFINITY, 2.0)] },
        )]);
        let after = BTreeMap::from([(
            ("GET".into(), "/health".into(), "200".into()),
            RouteHistogram { count: 5, sum_s: 0.05, buckets: vec![(0.005, 3.0), (f64::INFINITY, 5.0)] },
        )]);
        let d = difference(&before, &after);
        let h = &d[&("GET".into(), "/health".into(), "200".into())];
        assert_eq!((h.count, h.buckets.clone()), (3, vec![(0.005, 1.0), (f64::INFINITY, 3.0)]));
    }

    #[test]
    fn quantiles_interpolate_inside_the_bucket_and_stop_at_the_last_finite_bound() {
        let h = RouteHistogram { count: 100, sum_s: 1.0, buckets: vec![(0.01, 50.0), (0.02, 90.0), (0.05, 99.0), (f64::INFINITY, 100.0)] };
        assert!((quantile_s(&h, 0.5).unwrap() - 0.01).abs() < 1e-12);
        assert!((quantile_s(&h, 0.7).unwrap() - 0.015).abs() < 1e-12);
        assert_eq!(quantile_s(&h, 0.999), Some(0.05));
        assert_eq!(quantile_s(&RouteHistogram::default(), 0.5), None);
    }

    #[test]
    fn histograms_with_different_bounds_merge_into_the_union_of_bounds() {
        let a = RouteHistogram { count: 2, sum_s: 0.0, buckets: vec![(0.01, 1.0), (f64::INFINITY, 2.0)] };
        let b = RouteHistogram { count: 3, sum_s: 0.0, buckets: vec![(0.005, 1.0), (0.01, 2.0), (f64::INFINITY, 3.0)] };
        let m = merge([&a, &b]);
        assert_eq!(m.buckets, vec![(0.005, 1.0), (0.01, 3.0), (f64::INFINITY, 5.0)]);
        assert_eq!(m.count, 5);
    }
}
