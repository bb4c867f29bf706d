//! Distributed load generation against real local servers: `bakeoff loadgen` processes sending
//! the shares of one schedule from a common start, merged exactly; and the bakeoff/loadgen image
//! doing the same from a container on the host's network.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bakeoff::docker::{ContainerSpec, Engine, Scope};
use bakeoff::load::fixture::{serve_with, Behaviour};
use bakeoff::load::loadgen::{GeneratorSpec, LoadgenSpec, WorkloadSpec};
use bakeoff::load::merge::merge;
use bakeoff::load::share::Share;
use bakeoff::load::start::unix_now_ns;
use bakeoff::load::wire::GeneratorResult;
use bakeoff::load::{Profile, WorkloadKind};

/// A loopback server answering at once; counts the connections it accepted.
fn fixture() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (addr, accepted) = (listener.local_addr().unwrap(), Arc::new(AtomicUsize::new(0)));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async {
            listener.set_nonblocking(true).unwrap();
            serve_with(tokio::net::TcpListener::from_std(listener).unwrap(), Behaviour::Fixed(Duration::ZERO), counter).await
        });
    });
    (addr, accepted)
}

/// 150 requests a second for 2 s of `GET /`, starting `ahead` from now.
fn spec(addr: SocketAddr, ahead: Duration) -> LoadgenSpec {
    LoadgenSpec {
        url: format!("http://{addr}/"),
        workload: WorkloadSpec { kind: WorkloadKind::Fixed, products: 0, brands: vec![], categories: vec![], terms: vec![], mix: None, queries: None },
        profile: Profile::Constant { rps: 150.0, duration_s: 2.0 },
        seed: 3,
        key_prefix: "loadgen-test".into(),
        share: Share::WHOLE,
        start_unix_ns: unix_now_ns() + ahead.as_nanos() as u64,
        engine: GeneratorSpec { realtime: false, ..GeneratorSpec::default() },
    }
}

/// Starts `bakeoff loadgen` on `spec` with the share given on its command line.
fn spawn(spec: &LoadgenSpec, share: &str) -> std::process::Child {
    let json = serde_json::to_string(spec).unwrap();
    let args = ["loadgen", "--spec-json", &json, "--share", share];
    common::bakeoff().args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("bakeoff loadgen starts")
}

fn result_of(child: std::process::Child) -> GeneratorResult {
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "bakeoff loadgen failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("its stdout is one GeneratorResult")
}

#[test]
fn two_loadgen_processes_with_a_common_start_send_exactly_the_single_generator_schedule() {
    let (addr, _) = fixture();
    let single = merge(&[result_of(spawn(&spec(addr, Duration::from_millis(1500)), "0/1"))]).unwrap();

    let (addr, accepted) = fixture();
    let common = spec(addr, Duration::from_millis(2500));
    let start = Instant::now() + Duration::from_nanos(common.start_unix_ns - unix_now_ns());
    let children = [spawn(&common, "0/2"), spawn(&common, "1/2")];
    std::thread::sleep(start.saturating_duration_since(Instant::now() + Duration::from_millis(200)));
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "nothing is sent before the common start");
    let pair: Vec<GeneratorResult> = children.into_iter().map(result_of).collect();
    let merged = merge(&pair).unwrap();

    assert_eq!((single.schedule_requests, single.recorder.asked, single.recorder.ok), (300, 300, 300), "errors: {:?}", single.recorder.errors);
    assert_eq!((merged.recorder.asked, merged.recorder.sent, merged.recorder.ok), (300, 300, 300), "errors: {:?}", merged.recorder.errors);
    assert_eq!(pair.iter().map(|r| r.counters.asked).collect::<Vec<_>>(), [150, 150], "each sent exactly its share");
    let per_second = |r: &bakeoff::load::Recorder| r.seconds.iter().map(|s| s.asked).collect::<Vec<_>>();
    assert_eq!(per_second(&merged.recorder), per_second(&single.recorder));
    assert_eq!(merged.recorder.response_us.len(), 300, "every request is in the merged percentiles");
    assert_eq!(merged.generators.iter().map(|g| g.scheduling_lag.count).collect::<Vec<_>>(), [150, 150], "each generator's own lag is kept");
}

#[test]
fn a_spec_whose_start_has_passed_is_refused_with_what_to_do() {
    let (addr, accepted) = fixture();
    let mut late = spec(addr, Duration::ZERO);
    late.start_unix_ns -= 5_000_000_000;
    let output = spawn(&late, "0/1").wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("the start instant passed") && stderr.contains("a few seconds ahead"), "{stderr}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_loadgen_image_runs_a_share_on_the_host_network_and_returns_a_result_that_merges() {
    let _docker = common::docker_lock();
    let (built, stdout, stderr) = common::run(&["images", "loadgen"]);
    assert!(built.status.success(), "{stdout}\n{stderr}");
    let run_id = format!("lg{:06x}", std::process::id() & 0xff_ffff);
    let engine = Engine::connect(&common::docker_host(), &run_id).await.unwrap();
    let (addr, _) = fixture();
    let spec = spec(addr, Duration::from_secs(4)).for_share(Share::new(1, 2).unwrap());
    let name = format!("bakeoff-loadgen-{run_id}");
    let container = ContainerSpec {
        name: name.clone(),
        image: bakeoff::images::loadgen::LOADGEN_TAG.into(),
        app: "loadgen".into(),
        cmd: vec!["--spec-json".into(), serde_json::to_string(&spec).unwrap()],
        network: Some("host".into()),
        ..ContainerSpec::default()
    };
    engine.start_container(&container).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while engine.running(&name).await.unwrap() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (out, logs) = (engine.stdout(&name).await, engine.last_logs(&name, 20).await);
    engine.remove(&Scope::Run(run_id.clone())).await.unwrap();
    let result: GeneratorResult = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {logs}"));
    assert_eq!((result.share, result.counters.asked, result.counters.ok), (Share::new(1, 2).unwrap(), 150, 150), "{:?}", result.counters.errors);
    let decoded = result.decode().unwrap();
    assert_eq!(decoded.response_us.len(), 150);
    assert_eq!(common::labelled_by_run(&run_id).await.containers, 0, "the container is removed by its label");
}
