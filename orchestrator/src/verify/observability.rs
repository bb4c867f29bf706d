//! The observability group (RULES.md §8): a second container of the app with `WORKERS=2`, known
//! requests each with its own `X-Request-Id`, and then `/metrics` must have counted exactly those
//! requests per route (across both workers) and the access log must hold one JSON line for each.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use super::http::{Exchange, Http};
use super::outcome::GroupOutcome;
use crate::collect::metrics::{self, RouteHistogram, RouteKey, Scrape};
use crate::config::Config;
use crate::docker::Engine;
use crate::images::apps::AppManifest;
use crate::images::manifest::Observability;
use crate::stack::{AppLimits, Stack};

pub const GROUP: &str = "observability";

/// The buckets (seconds) RULES.md §8 asks the request-duration histogram to have at least.
const REQUIRED_BOUNDS_S: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// What the group sends: (path, route template, how many times).
const SENT: [(&str, &str, u64); 3] = [("/products/1", "/products/{id}", 4), ("/products/search?q=wireless", "/products/search", 3), ("/health", "/health", 2)];

/// Runs the group against a fresh container of `app` with two workers.
pub async fn check(engine: &Engine, config: &Config, stack: &Stack, app: &AppManifest) -> GroupOutcome {
    let mut group = GroupOutcome::new(GROUP);
    let Some(o) = &app.observability else {
        let expected = "an `observability` block naming the app's metric families (apps/README.md)";
        group.check_value("the manifest maps the metric families", false, expected, "none in app.yaml");
        return group;
    };
    let v = &config.verify;
    let limits =
        AppLimits { memory_mb: v.app_memory_mb, cpuset: v.app_cpuset.clone(), cpus: v.app_cpus, startup_timeout: Duration::from_secs(v.startup_timeout_s) };
    match stack.start_app_with(engine, app, &limits, "-obs", &["WORKERS=2".to_string()]).await {
        Ok(running) => {
            let base = format!("http://127.0.0.1:{}", running.port);
            let tag = format!("{}-{}", engine.run_id(), app.id);
            check_running(&mut group, engine, &running.container, &base, &tag, o, &app.language).await;
            if let Err(e) = engine.remove_container(&running.container).await {
                eprintln!("  could not remove {}: {e}", running.container);
            }
        }
        Err(e) => group.check_value("the app starts with WORKERS=2", false, "healthy", e.to_string()),
    }
    group
}

async fn check_running(group: &mut GroupOutcome, engine: &Engine, container: &str, base: &str, tag: &str, o: &Observability, language: &str) {
    let Some(before) = scrape(group, base, "before the requests").await else { return };
    let sent = send_known_requests(group, base, tag).await;
    let Some(after) = scrape(group, base, "after the requests").await else { return };
    ids_are_made_when_missing_or_invalid(group, base).await;
    families_exist(group, &after, o, language);
    counts_match(group, &before, &after, o);
    gauges_are_plausible(group, &after, o);
    access_log_has_every_request(group, engine, container, &sent).await;
}

/// GET /metrics on a new connection, parsed; None (with a failure) when it cannot be.
async fn scrape(group: &mut GroupOutcome, base: &str, when: &str) -> Option<Scrape> {
    let exchange = Http::new(base.to_string()).get("/metrics").await;
    let text_format = exchange.content_type.as_deref().is_some_and(|c| c.starts_with("text/plain") || c.starts_with("application/openmetrics-text"));
    group.check(
        format!("GET /metrics answers 200 in the Prometheus text format ({when})"),
        exchange.status == 200 && text_format,
        "200, text/plain",
        &exchange,
    );
    if exchange.status != 200 {
        return None;
    }
    match metrics::parse(&exchange.body) {
        Ok(scrape) => {
            group.check_value(format!("/metrics parses ({when})"), true, "", "");
            Some(scrape)
        }
        Err(e) => {
            group.check_value(format!("/metrics parses ({when})"), false, "the Prometheus text format", e.to_string());
            None
        }
    }
}

/// The request id the group gives its `n`th request.
fn request_id(tag: &str, n: usize) -> String {
    format!("bakeoff-{tag}-{n}")
}

/// Sends [`SENT`], each request on a new connection (so both workers get some) with its own
/// `X-Request-Id`; checks each answer echoes it. Returns (id, route template, exchange).
async fn send_known_requests(group: &mut GroupOutcome, base: &str, tag: &str) -> Vec<(String, &'static str, Exchange)> {
    let mut sent = Vec::new();
    for (path, route, times) in SENT {
        for _ in 0..times {
            let id = request_id(tag, sent.len());
            let exchange = Http::new(base.to_string()).send("GET", path, &[("X-Request-Id", &id)], None).await;
            let ok = exchange.status == 200 && exchange.request_id.as_deref() == Some(id.as_str());
            group.check(format!("GET {route} answers 200 and echoes its X-Request-Id"), ok, format!("200 with X-Request-Id: {id}"), &exchange);
            sent.push((id, route, exchange));
        }
    }
    sent
}

/// A request without an id, or with one the contract refuses, gets an id the app made.
async fn ids_are_made_when_missing_or_invalid(group: &mut GroupOutcome, base: &str) {
    let http = Http::new(base.to_string());
    let missing = http.get("/health").await;
    let made = missing.request_id.as_deref().is_some_and(valid_request_id);
    group.check("a request without X-Request-Id gets one the app made", made, "an X-Request-Id header of 1-128 characters of A-Za-z0-9._-", &missing);
    let long = "a".repeat(129);
    for bad in ["has spaces in it", long.as_str()] {
        let exchange = http.send("GET", "/health", &[("X-Request-Id", bad)], None).await;
        let replaced = exchange.request_id.as_deref().is_some_and(|id| id != bad && valid_request_id(id));
        group.check("an invalid X-Request-Id is replaced by one the app made", replaced, "a valid X-Request-Id other than the one sent", &exchange);
    }
}

/// 1 to 128 characters of `A-Z a-z 0-9 . _ -`.
pub fn valid_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// Every family the manifest names is in the scrape, the duration family is a histogram with the
/// three labels and the required buckets; Node apps name an event-loop lag family.
fn families_exist(group: &mut GroupOutcome, scrape: &Scrape, o: &Observability, language: &str) {
    for (part, family) in o.families() {
        let found = scrape.family(family).map(|f| f.family_type.to_string());
        group.check_value(format!("/metrics has the {part} family"), found.is_some(), format!("a family `{family}`"), "missing from /metrics");
    }
    if matches!(language, "javascript" | "typescript") {
        group.check_value("a Node.js app names its event-loop lag family", o.event_loop_lag.is_some(), "observability.event_loop_lag in app.yaml", "none");
    }
    if let Ok(series) = scrape.request_histograms(o) {
        let bounds: Vec<f64> = series.values().flat_map(|h| h.buckets.iter().map(|b| b.0)).collect();
        let missing: Vec<String> = REQUIRED_BOUNDS_S.iter().filter(|r| !bounds.iter().any(|b| (b - *r).abs() < 1e-9)).map(|r| format!("{r}")).collect();
        group.check_value(
            "the duration histogram has the contract's buckets",
            missing.is_empty(),
            "buckets at 0.005 … 10 s (RULES.md §8)",
            format!("missing le = {}", missing.join(", ")),
        );
    }
}

/// The histogram's `_count` grew by exactly what was sent, per (method, route, status).
fn counts_match(group: &mut GroupOutcome, before: &Scrape, after: &Scrape, o: &Observability) {
    let (b, a) = match (before.request_histograms(o), after.request_histograms(o)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(e), _) | (_, Err(e)) => {
            group.check_value("the request-duration histogram is readable", false, "a histogram with the manifest's method, route and status labels", e);
            return;
        }
    };
    let grown: BTreeMap<RouteKey, RouteHistogram> = metrics::difference(&b, &a);
    for (_, route, times) in SENT {
        let key = ("GET".to_string(), metrics::normalise_route(route), "200".to_string());
        let counted = grown.get(&key).map(|h| h.count).unwrap_or(0);
        let found = format!("{counted} counted; series that grew: {}", describe(&grown));
        group.check_value(format!("/metrics counted exactly the GET {route} requests sent"), counted == times, format!("{times} more GET {route} 200"), found);
    }
}

fn describe(grown: &BTreeMap<RouteKey, RouteHistogram>) -> String {
    grown.iter().map(|((m, r, s), h)| format!("{m} {r} {s} +{}", h.count)).collect::<Vec<_>>().join(", ")
}

/// The pool has opened a connection, and CPU and memory are the process's.
fn gauges_are_plausible(group: &mut GroupOutcome, scrape: &Scrape, o: &Observability) {
    let g = scrape.gauges(o);
    let open = g.pool_in_use.unwrap_or(0.0) + g.pool_idle.unwrap_or(0.0);
    group.check_value(
        "the pool gauges show the open connections",
        open >= 1.0,
        "in use + idle ≥ 1 after requests",
        format!("{:?} in use, {:?} idle", g.pool_in_use, g.pool_idle),
    );
    group.check_value("the pool's waiting gauge is a count", g.pool_waiting.is_some_and(|w| w >= 0.0), "≥ 0", format!("{:?}", g.pool_waiting));
    // A fresh process may not have used a whole clock tick (10 ms) yet: 0 is a true reading.
    group.check_value("process CPU seconds are counted", g.cpu_seconds.is_some_and(|c| c >= 0.0), "a number ≥ 0", format!("{:?}", g.cpu_seconds));
    group.check_value("resident memory is reported", g.memory_bytes.is_some_and(|m| m > 1e6), "> 1 MB", format!("{:?}", g.memory_bytes));
}

/// One JSON line per sent request on the container's stdout, with the contract's fields.
async fn access_log_has_every_request(group: &mut GroupOutcome, engine: &Engine, container: &str, sent: &[(String, &'static str, Exchange)]) {
    let mut lines = Vec::new();
    for _ in 0..20 {
        lines = log_lines(&engine.stdout(container).await);
        if sent.iter().all(|(id, _, _)| lines.iter().any(|l| l["request_id"] == id.as_str())) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (id, route, _) in sent {
        let mine: Vec<&Value> = lines.iter().filter(|l| l["request_id"] == id.as_str()).collect();
        let found = match mine.as_slice() {
            [line] => line_problems(line, route),
            [] => "no line with this request_id".to_string(),
            many => format!("{} lines with this request_id", many.len()),
        };
        let expected = format!("one JSON line with ts (UTC), level info, method GET, route {route}, status 200, duration_ms, request_id {id}");
        group.check_value(format!("the access log has one line for request {id}"), found.is_empty(), expected, found);
    }
}

/// The JSON objects among the container's stdout lines.
fn log_lines(stdout: &str) -> Vec<Value> {
    stdout.lines().filter_map(|l| serde_json::from_str::<Value>(l.trim()).ok()).filter(Value::is_object).collect()
}

/// What is wrong with an access-log line for a GET of `route` answered 200 (empty: nothing).
pub fn line_problems(line: &Value, route: &str) -> String {
    let mut problems = Vec::new();
    let ts = line["ts"].as_str().unwrap_or_default();
    let utc = (ts.ends_with('Z') || ts.ends_with("+00:00")) && ts.parse::<jiff::Timestamp>().is_ok();
    if !utc {
        problems.push(format!("ts {} is not RFC 3339 UTC", line["ts"]));
    }
    if line["level"] != "info" {
        problems.push(format!("level {}", line["level"]));
    }
    if line["method"] != "GET" {
        problems.push(format!("method {}", line["method"]));
    }
    let logged_route = line["route"].as_str().map(metrics::normalise_route);
    if logged_route.as_deref() != Some(metrics::normalise_route(route).as_str()) {
        problems.push(format!("route {}", line["route"]));
    }
    if line["status"].as_u64() != Some(200) {
        problems.push(format!("status {} (a number is expected)", line["status"]));
    }
    if !line["duration_ms"].as_f64().is_some_and(|d| d >= 0.0) {
        problems.push(format!("duration_ms {}", line["duration_ms"]));
    }
    problems.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_every_field_passes_and_each_missing_field_is_named() {
        let good = serde_json::json!({"ts": "2026-12-07T05:30:00.123Z", "level": "info", "method": "GET", "route": "/products/:id", "status": 200, "duration_ms": 1.25, "request_id": "x"});
        assert_eq!(line_problems(&good, "/products/{id}"), "");
        let bad = serde_json::json!({"ts": "2026-12-07 05:30:00", "level": "INFO", "method": "GET", "route": "/products/1", "status": "200"});
        let problems = line_problems(&bad, "/products/{id}");
        for field in ["ts", "level", "route", "status", "duration_ms"] {
            assert!(problems.contains(field), "{field} not named: {problems}");
        }
    }

    #[test]
    fn request_ids_follow_the_contracts_alphabet_and_length() {
        assert!(valid_request_id("bakeoff-abc_1.2"));
        assert!(!valid_request_id(""));
        assert!(!valid_request_id("has spaces"));
        assert!(!valid_request_id(&"a".repeat(129)));
        assert!(valid_request_id(&"a".repeat(128)));
    }
}
