//! The load engine against a local fixture server: exact counts, honest latency under queueing,
//! dropped-request accounting and the generator-limited flag.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bakeoff::load::{self, EngineConfig, Mode, Profile, Workload};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn fixture(delay: Duration) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async {
            listener.set_nonblocking(true).unwrap();
            load::fixture::serve(tokio::net::TcpListener::from_std(listener).unwrap(), delay).await
        });
    });
    addr
}

fn config(connections: usize, queue_bound: usize) -> EngineConfig {
    EngineConfig { workers: 1, cpus: vec![], connections, queue_bound, timeout: Duration::from_secs(5), seed: 1, key_prefix: "test".into() }
}

#[test]
fn an_open_run_against_a_fast_server_sends_exactly_the_schedule_and_answers_every_request() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let addr = fixture(Duration::ZERO);
    let mode = Mode::Open(Profile::Constant { rps: 300.0, duration_s: 2.0 });
    let (summary, recorder) = load::measure(addr, &mode, Arc::new(Workload::fixed("/")), &config(64, 1000)).unwrap();
    assert_eq!(summary.dispatched, 600);
    assert_eq!(summary.completed, 600, "errors: {:?}", summary.errors);
    assert_eq!(summary.error_rate, 0.0);
    assert_eq!(summary.scheduling_lag.count, 600, "every send's lateness is recorded");
    // How small the lag is, is a speed target: scripts/bench-generator prints it.
    assert_eq!(summary.generator_limited, !summary.generator_limited_reasons.is_empty());
    assert!(recorder.per_second_us.len() >= 2, "one interval histogram per second");
}

#[test]
fn a_slow_server_shows_queueing_in_response_time_drops_are_counted_and_the_run_is_flagged() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let addr = fixture(Duration::from_millis(50));
    // 4 connections × 20 answers/s = 80/s of capacity against 200/s asked.
    let mode = Mode::Open(Profile::Constant { rps: 200.0, duration_s: 2.0 });
    let (summary, _) = load::measure(addr, &mode, Arc::new(Workload::fixed("/")), &config(4, 30)).unwrap();
    assert_eq!(summary.dispatched, 400);
    assert!(summary.dropped > 0, "nothing dropped");
    let failed: u64 = summary.errors.iter().filter(|(class, _)| class.as_str() != "dropped").map(|(_, n)| n).sum();
    assert_eq!(summary.completed + summary.dropped + failed, summary.dispatched, "a request vanished: {summary:?}");
    assert_eq!(summary.response_time.count, summary.completed + summary.dropped + failed, "dropped requests left the percentiles");
    assert!(summary.generator_limited);
    assert!(summary.generator_limited_reasons.iter().any(|r| r.contains("dropped")), "{:?}", summary.generator_limited_reasons);
    assert!(
        summary.response_time.p50_us > 4 * summary.service_time.p50_us,
        "queueing hidden: response p50 {} µs, service p50 {} µs",
        summary.response_time.p50_us,
        summary.service_time.p50_us
    );
    assert!(summary.service_time.p50_us >= 50_000);
}

#[test]
fn a_closed_loop_keeps_every_connection_busy() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let addr = fixture(Duration::from_millis(10));
    let mode = Mode::Closed { duration: Duration::from_secs(1) };
    let (summary, _) = load::measure(addr, &mode, Arc::new(Workload::fixed("/")), &config(8, 0)).unwrap();
    // 8 connections × ~100 answers/s each for 1 s.
    assert!((600..=820).contains(&summary.completed), "{} answers", summary.completed);
    assert_eq!(summary.target_rps, None);
    assert!(!summary.generator_limited);
}
