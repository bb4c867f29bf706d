//! The load engine against local servers: exact counts, honest latency under queueing, every
//! request in the percentiles (failures, timeouts and drops too), saturation told apart from the
//! generator's own limits, a bounded drain, and the contract checked on checkout funnels.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bakeoff::load::{self, Catalogue, EngineConfig, MixShares, Mode, Profile, Workload, WorkloadKind};

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

/// A server that accepts connections and never answers.
fn stalled() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept() {
            held.push(stream);
        }
    });
    addr
}

/// A loopback port nobody listens on: every connection attempt is refused.
fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

fn config(connections: usize, queue_bound: usize, timeout: Duration) -> EngineConfig {
    EngineConfig {
        workers: 1,
        cpus: vec![],
        connections,
        queue_bound,
        timeout,
        seed: 1,
        key_prefix: "test".into(),
        realtime: false,
        idle_polling: false,
        keep_orders: false,
    }
}

fn open(rps: f64, duration_s: f64) -> Mode {
    Mode::Open(Profile::Constant { rps, duration_s })
}

#[test]
fn an_open_run_against_a_fast_server_sends_exactly_the_schedule_and_answers_every_request() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let addr = fixture(Duration::ZERO);
    let (summary, recorder) = load::measure(addr, &open(300.0, 2.0), Arc::new(Workload::fixed("/")), &config(64, 1000, Duration::from_secs(5))).unwrap();
    assert_eq!((summary.asked, summary.sent, summary.answered, summary.ok), (600, 600, 600, 600), "errors: {:?}", summary.errors);
    assert_eq!(summary.error_rate, 0.0);
    assert_eq!(summary.scheduling_lag.count, 600, "every send's lateness is recorded");
    assert!(!summary.saturated, "{:?}", summary.saturated_reasons);
    // How small the lag is, is a speed target: scripts/bench-generator prints it.
    assert_eq!(summary.generator_limited, !summary.generator_limited_reasons.is_empty());
    assert_eq!(recorder.seconds.len(), 2, "one interval row per second due");
    assert_eq!(recorder.seconds.iter().map(|s| s.asked).collect::<Vec<_>>(), [300, 300]);
    let thread = &summary.generator_threads[0];
    assert!(thread.cpu_time_us > 0 && thread.wall_time_us >= 2_000_000, "the load thread's CPU time is measured: {thread:?}");
}

#[test]
fn a_slow_server_is_saturated_not_generator_limited_and_every_request_is_in_the_percentiles() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let addr = fixture(Duration::from_millis(50));
    // 4 connections × 20 answers/s = 80/s of capacity against 200/s asked.
    let (summary, _) = load::measure(addr, &open(200.0, 2.0), Arc::new(Workload::fixed("/")), &config(4, 100, Duration::from_secs(5))).unwrap();
    assert_eq!(summary.asked, 400);
    assert!(summary.dropped > 0, "nothing dropped");
    let failed: u64 = summary.errors.values().sum();
    assert_eq!(summary.answered + failed, summary.asked, "a request vanished: {summary:?}");
    assert_eq!(summary.response_time.count, summary.asked, "a request left the percentiles");
    assert!(summary.saturated, "{summary:?}");
    assert!(summary.saturated_reasons.iter().any(|r| r.contains("dropped")), "{:?}", summary.saturated_reasons);
    assert!(summary.saturated_reasons.iter().any(|r| r.contains("free connection")), "{:?}", summary.saturated_reasons);
    // A busy machine may make the pacer late (that flag is honest); the app's backlog must never
    // be given as the generator's reason.
    let misattributed = summary.generator_limited_reasons.iter().filter(|r| !r.contains("scheduling lag")).collect::<Vec<_>>();
    assert!(misattributed.is_empty(), "a slow app was passed off as the generator's limit: {misattributed:?}");
    assert!(summary.achieved_rps < 100.0, "requests that waited for a connection were counted as sent on time: {summary:?}");
    assert!(
        summary.response_time.p50_us > 4 * summary.service_time.p50_us,
        "queueing hidden: response p50 {} µs, service p50 {} µs",
        summary.response_time.p50_us,
        summary.service_time.p50_us
    );
    assert!(summary.service_time.p50_us >= 50_000);
}

#[test]
fn refused_connections_are_in_the_percentiles_with_their_time() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (summary, recorder) = load::measure(closed_port(), &open(100.0, 1.0), Arc::new(Workload::fixed("/")), &config(8, 100, Duration::from_secs(2))).unwrap();
    assert_eq!(summary.asked, 100);
    assert_eq!(summary.errors.get("connect"), Some(&100), "{:?}", summary.errors);
    assert_eq!(summary.response_time.count, 100, "failed requests vanished from the percentiles");
    assert_eq!(summary.error_rate, 1.0);
    assert!(summary.saturated_reasons.iter().any(|r| r.contains("0 of 100 requests asked got an answer")), "{:?}", summary.saturated_reasons);
    assert_eq!(recorder.seconds[0].errors.get("connect"), Some(&100));
}

#[test]
fn a_stalled_server_times_out_and_the_drain_is_bounded_by_the_request_timeout() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let started = Instant::now();
    // 2 connections: 2 requests in flight time out, the other 38 wait for a connection.
    let (summary, _) = load::measure(stalled(), &open(40.0, 1.0), Arc::new(Workload::fixed("/")), &config(2, 1000, Duration::from_secs(1))).unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2_600), "the phase ran {took:?}, past its end plus the timeout");
    assert_eq!(summary.asked, 40);
    assert_eq!(summary.answered, 0);
    assert_eq!(summary.timeouts + summary.dropped, 40, "{:?}", summary.errors);
    assert!(summary.dropped >= 30, "requests still waiting at the end of the drain are dropped: {:?}", summary.errors);
    assert_eq!(summary.response_time.count, 40);
    // A request due at 0.9 s and dropped at the end of the drain (about 2 s) waited about 1.1 s,
    // not the time left in the schedule.
    assert!(summary.response_time.max_us >= 1_000_000, "{:?}", summary.response_time);
    assert!(summary.saturated, "{summary:?}");
}

#[test]
fn a_checkout_funnel_whose_cart_has_no_id_is_a_contract_error_not_a_success() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    // The fixture answers every request `200 {"status":"ok"}`: no cart id, so no funnel may succeed.
    let addr = fixture(Duration::ZERO);
    let catalogue = Catalogue { products: 5_000, brands: vec!["Acme".into()], categories: vec![1], ..Default::default() };
    let shares = MixShares { search: 0.0, product_view: 0.0, add_to_cart: 0.0, checkout: 1.0 };
    let workload = Arc::new(Workload::new(WorkloadKind::Checkout, catalogue, shares));
    let (summary, _) = load::measure(addr, &open(50.0, 1.0), workload, &config(8, 100, Duration::from_secs(2))).unwrap();
    assert_eq!(summary.asked, 50);
    assert_eq!(summary.ok, 0, "{summary:?}");
    assert_eq!(summary.errors.get("contract"), Some(&50), "{:?}", summary.errors);
}

#[test]
fn a_closed_loop_keeps_every_connection_busy() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let addr = fixture(Duration::from_millis(10));
    let mode = Mode::Closed { duration: Duration::from_secs(1) };
    let (summary, _) = load::measure(addr, &mode, Arc::new(Workload::fixed("/")), &config(8, 0, Duration::from_secs(5))).unwrap();
    // 8 connections × ~100 answers/s each for 1 s.
    assert!((600..=820).contains(&summary.answered), "{} answers", summary.answered);
    assert_eq!(summary.target_rps, None);
    assert!(!summary.generator_limited && !summary.saturated);
}
