//! The app's own view of a measured phase (RULES.md §8): its `/metrics` scraped when the phase
//! starts, once a second while it runs, and when it ends. Set beside the generator's figures, the
//! server-side latency shows how much of a request's time was spent queueing outside the app.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::metrics::{self, AppGauges, Scrape};
use crate::images::manifest::Observability;

/// How often the app is scraped while a phase runs.
pub const SCRAPE_EVERY: Duration = Duration::from_secs(1);

/// What the app's metrics said about one phase.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ServerView {
    /// Requests the app's duration histogram counted in the phase (`/metrics` itself excluded).
    pub requests: u64,
    /// Server-side percentiles, interpolated inside the histogram's buckets (so no finer than its
    /// bucket bounds; a percentile past the last finite bound is that bound).
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// The histogram's sum over its count.
    pub mean_ms: Option<f64>,
    /// The most connections in use and requests waiting for one, over the per-second scrapes.
    pub pool_in_use_max: Option<f64>,
    pub pool_waiting_max: Option<f64>,
    /// Garbage collection during the phase, in `gc_measures` (seconds or collections).
    pub gc_delta: Option<f64>,
    pub gc_measures: Option<String>,
    /// Process CPU seconds the app's own counter grew by.
    pub cpu_seconds: Option<f64>,
    /// Node.js: the largest event-loop lag a scrape showed.
    pub event_loop_lag_max_ms: Option<f64>,
    /// Scrapes that answered, and how long the slowest took (the cost of watching).
    pub scrapes: u32,
    pub scrape_ms_max: Option<f64>,
    /// Why figures are missing, when some are.
    pub note: Option<String>,
}

/// Scrapes one app's `/metrics` until finished.
pub struct ServerSampler {
    stop: oneshot::Sender<()>,
    task: JoinHandle<ServerView>,
}

impl ServerSampler {
    /// Starts scraping `addr` (the app as the generator reaches it), reading it through `o`.
    pub fn start(addr: SocketAddr, o: Option<Observability>) -> ServerSampler {
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(watch(addr, o, stopped));
        ServerSampler { stop, task }
    }

    /// Takes the last scrape and returns what the phase looked like from inside the app.
    pub async fn finish(self) -> ServerView {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_else(|e| ServerView { note: Some(format!("the scraper failed: {e}")), ..Default::default() })
    }
}

async fn watch(addr: SocketAddr, o: Option<Observability>, mut stopped: oneshot::Receiver<()>) -> ServerView {
    let Some(o) = o else {
        return ServerView { note: Some("the manifest names no metric families (observability block)".into()), ..Default::default() };
    };
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().expect("an HTTP client");
    let url = format!("http://{addr}/metrics");
    let mut watched = Watched::default();
    loop {
        watched.take(scrape(&client, &url).await, &o);
        tokio::select! {
            _ = &mut stopped => break,
            _ = tokio::time::sleep(SCRAPE_EVERY) => {}
        }
    }
    watched.take(scrape(&client, &url).await, &o);
    watched.view(&o)
}

/// The scrapes of a phase: the first, the last, the per-scrape gauges and what failed.
#[derive(Default)]
struct Watched {
    first: Option<Scrape>,
    last: Option<Scrape>,
    gauges: Vec<AppGauges>,
    took_ms: Vec<f64>,
    failed: Option<String>,
}

impl Watched {
    fn take(&mut self, scraped: Result<(Scrape, f64), String>, o: &Observability) {
        match scraped {
            Ok((scrape, ms)) => {
                self.took_ms.push(ms);
                self.gauges.push(scrape.gauges(o));
                if self.first.is_none() {
                    self.first = Some(scrape);
                } else {
                    self.last = Some(scrape);
                }
            }
            Err(e) => self.failed = Some(e),
        }
    }

    fn view(mut self, o: &Observability) -> ServerView {
        let (Some(first), Some(last)) = (self.first.take(), self.last.take()) else {
            return ServerView { note: Some(self.failed.unwrap_or_else(|| "fewer than two scrapes answered".into())), ..Default::default() };
        };
        view_of(&first, &last, o, &self.gauges, &self.took_ms, self.failed)
    }
}

async fn scrape(client: &reqwest::Client, url: &str) -> Result<(Scrape, f64), String> {
    let started = Instant::now();
    let response = client.get(url).send().await.map_err(|e| format!("GET /metrics failed: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| format!("GET /metrics body unreadable: {e}"))?;
    let took_ms = started.elapsed().as_secs_f64() * 1000.0;
    if !status.is_success() {
        return Err(format!("GET /metrics answered {status}"));
    }
    metrics::parse(&text).map(|s| (s, took_ms)).map_err(|e| e.to_string())
}

/// The phase between two scrapes.
fn view_of(first: &Scrape, last: &Scrape, o: &Observability, gauges: &[AppGauges], took_ms: &[f64], failed: Option<String>) -> ServerView {
    let (g0, g1) = (first.gauges(o), last.gauges(o));
    let most = |pick: fn(&AppGauges) -> Option<f64>| gauges.iter().filter_map(pick).reduce(f64::max);
    let mut view = ServerView {
        pool_in_use_max: most(|g| g.pool_in_use),
        pool_waiting_max: most(|g| g.pool_waiting),
        gc_delta: g1.gc.zip(g0.gc).map(|(b, a)| b - a),
        gc_measures: Some(if metrics::gc_is_time(o) { "seconds" } else { "collections" }.into()),
        cpu_seconds: g1.cpu_seconds.zip(g0.cpu_seconds).map(|(b, a)| b - a),
        event_loop_lag_max_ms: most(|g| g.event_loop_lag_s).map(|s| s * 1000.0),
        scrapes: took_ms.len() as u32,
        scrape_ms_max: took_ms.iter().cloned().reduce(f64::max),
        note: failed,
        ..Default::default()
    };
    match (first.request_histograms(o), last.request_histograms(o)) {
        (Ok(a), Ok(b)) => {
            let total = |h: &std::collections::BTreeMap<metrics::RouteKey, metrics::RouteHistogram>| h.values().map(|h| h.count).sum::<u64>();
            let restarted = total(&b) < total(&a);
            if restarted {
                view.note = Some("the app restarted during the phase: its counters started again, so these figures cover the new process only".into());
                view.cpu_seconds = g1.cpu_seconds;
                view.gc_delta = g1.gc;
            }
            let start = if restarted { Default::default() } else { a };
            let grown = metrics::difference(&start, &b);
            let requests = metrics::merge(grown.iter().filter(|((_, route, _), _)| route != "/metrics").map(|(_, h)| h));
            view.requests = requests.count;
            let ms = |q| metrics::quantile_s(&requests, q).map(|s| s * 1000.0);
            (view.p50_ms, view.p95_ms, view.p99_ms) = (ms(0.50), ms(0.95), ms(0.99));
            view.mean_ms = (requests.count > 0).then(|| requests.sum_s * 1000.0 / requests.count as f64);
        }
        (Err(e), _) | (_, Err(e)) => view.note = Some(e),
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::manifest::{GcFamily, GcMeasure, RequestDurationFamily};

    fn observability() -> Observability {
        Observability {
            access_log: "t".into(),
            metrics: "t".into(),
            request_duration: RequestDurationFamily {
                family: "http_request_duration_seconds".into(),
                method: "method".into(),
                route: "route".into(),
                status: "code".into(),
            },
            pool_in_use: "pool_busy".into(),
            pool_idle: "pool_idle".into(),
            pool_waiting: "pool_waiting".into(),
            cpu_seconds: "process_cpu_seconds_total".into(),
            memory_bytes: "process_resident_memory_bytes".into(),
            gc: GcFamily { family: "gc_seconds_total".into(), measures: GcMeasure::Seconds },
            event_loop_lag: None,
        }
    }

    fn scrape(search: [u64; 3], metrics_calls: u64, waiting: u64, cpu: f64, gc: f64) -> Scrape {
        let [fast, slow, all] = search;
        let text = format!(
            "# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{{method=\"GET\",route=\"/products/search\",code=\"200\",le=\"0.01\"}} {fast}
http_request_duration_seconds_bucket{{method=\"GET\",route=\"/products/search\",code=\"200\",le=\"0.1\"}} {slow}
http_request_duration_seconds_bucket{{method=\"GET\",route=\"/products/search\",code=\"200\",le=\"+Inf\"}} {all}
http_request_duration_seconds_sum{{method=\"GET\",route=\"/products/search\",code=\"200\"}} {sum}
http_request_duration_seconds_count{{method=\"GET\",route=\"/products/search\",code=\"200\"}} {all}
http_request_duration_seconds_bucket{{method=\"GET\",route=\"/metrics\",code=\"200\",le=\"0.01\"}} {metrics_calls}
http_request_duration_seconds_bucket{{method=\"GET\",route=\"/metrics\",code=\"200\",le=\"0.1\"}} {metrics_calls}
http_request_duration_seconds_bucket{{method=\"GET\",route=\"/metrics\",code=\"200\",le=\"+Inf\"}} {metrics_calls}
http_request_duration_seconds_sum{{method=\"GET\",route=\"/metrics\",code=\"200\"}} 0.001
http_request_duration_seconds_count{{method=\"GET\",route=\"/metrics\",code=\"200\"}} {metrics_calls}
# TYPE pool_busy gauge
pool_busy 2
# TYPE pool_waiting gauge
pool_waiting {waiting}
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total {cpu}
# TYPE gc_seconds_total counter
gc_seconds_total {gc}
",
            sum = all as f64 * 0.02
        );
        metrics::parse(&text).unwrap()
    }

    #[test]
    fn a_phase_is_what_the_histogram_grew_by_without_the_scrapes_themselves() {
        let o = observability();
        let first = scrape([10, 10, 10], 1, 0, 1.0, 0.1);
        let middle = scrape([50, 100, 100], 5, 7, 3.0, 0.2);
        let last = scrape([60, 108, 110], 9, 1, 4.0, 0.4);
        let gauges: Vec<AppGauges> = [&first, &middle, &last].iter().map(|s| s.gauges(&o)).collect();
        let view = view_of(&first, &last, &o, &gauges, &[3.0, 4.0, 5.0], None);
        assert_eq!(view.requests, 100, "{view:?}");
        assert_eq!((view.pool_waiting_max, view.pool_in_use_max), (Some(7.0), Some(2.0)));
        assert!((view.cpu_seconds.unwrap() - 3.0).abs() < 1e-9 && (view.gc_delta.unwrap() - 0.3).abs() < 1e-9, "{view:?}");
        // 50 of 100 under 10 ms, 98 under 100 ms: p50 = 10 ms, p95 inside the 10-100 ms bucket, p99 at its top.
        assert!((view.p50_ms.unwrap() - 10.0).abs() < 1e-9, "{view:?}");
        assert!(view.p95_ms.unwrap() > 10.0 && view.p95_ms.unwrap() < 100.0, "{view:?}");
        assert_eq!(view.p99_ms, Some(100.0));
        assert_eq!((view.scrapes, view.scrape_ms_max), (3, Some(5.0)));
    }

    #[test]
    fn counters_that_went_back_are_read_as_a_restart_and_said_so() {
        let o = observability();
        let (old, new) = (scrape([50, 100, 100], 5, 0, 9.0, 0.5), scrape([20, 30, 30], 2, 0, 1.0, 0.1));
        let gauges: Vec<AppGauges> = [&old, &new].iter().map(|s| s.gauges(&o)).collect();
        let view = view_of(&old, &new, &o, &gauges, &[1.0, 1.0], None);
        assert_eq!(view.requests, 30, "the new process's requests, not a negative difference: {view:?}");
        assert_eq!(view.cpu_seconds, Some(1.0));
        assert!(view.note.unwrap().contains("restarted"));
    }
}
