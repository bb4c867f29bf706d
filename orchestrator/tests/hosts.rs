//! Roles on different engines, with a second dockerd on this machine standing in for a second
//! host: its own socket, data root and exec root, a bridge of its own and no iptables of its own,
//! its networks from an address pool of their own. Containers on the two engines reach each other
//! only through ports published on the gateway address of a bridge network the test creates on
//! the main engine (a host address: no NAT of the second engine is needed to reach it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use bakeoff::docker::{Engine, Removed, Scope};
use common::second_engine::SecondEngine;
use common::{docker_lock, labelled, labelled_by_run, run, run_id_in};

/// A second engine, and the main engine's network whose gateway the roles reach each other at.
/// Drop stops the engine, removes its folder (data root included), its bridge and the network,
/// however the test ends.
struct SecondHost {
    engine: SecondEngine,
    network: String,
    /// The gateway of `network`: a host address both engines' containers can reach.
    gateway: String,
}

impl SecondHost {
    /// Starts the engine with networks from `pool` (a /16) and the main engine's network on
    /// `subnet` (a /24 whose first address becomes the gateway).
    fn start(name: &str, pool: &str, subnet_prefix: &str) -> SecondHost {
        SecondHost::start_with(name, pool, subnet_prefix, |_| String::new())
    }

    /// [`SecondHost::start`] with more dockerd arguments, made from the engine's folder.
    fn start_with(name: &str, pool: &str, subnet_prefix: &str, more_args: impl FnOnce(&Path) -> String) -> SecondHost {
        // The engine's own default bridge: the pool's last /24.
        let bridge = format!("{}.255.1/24", pool.rsplitn(3, '.').last().unwrap());
        let engine = SecondEngine::new(name, &bridge);
        let network = format!("bakeoff-test-{name}-{}", std::process::id());
        let created = Command::new("docker")
            .args(["network", "create", "--label", "bakeoff.test=hosts", "--subnet", &format!("{subnet_prefix}.0/24"), &network])
            .output()
            .unwrap();
        assert!(created.status.success(), "the test's network: {}", String::from_utf8_lossy(&created.stderr));
        let host = SecondHost { network, gateway: format!("{subnet_prefix}.1"), engine };
        let more = more_args(&host.engine.root);
        let output = host.engine.engine_up(pool, &more);
        assert!(output.status.success(), "the second engine did not start: {}", String::from_utf8_lossy(&output.stderr));
        host
    }

    fn address(&self) -> String {
        self.engine.address()
    }

    /// A config file in the engine's folder.
    fn config(&self, yaml: &str) -> PathBuf {
        let path = self.engine.root.join("bakeoff.yaml");
        std::fs::write(&path, yaml).unwrap();
        path
    }

    async fn engine(&self) -> Engine {
        Engine::connect(&self.address(), "test").await.expect("the second engine answers")
    }
}

impl Drop for SecondHost {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["network", "rm", &self.network]).output();
    }
}

/// The value after `label` on a line of `text`.
fn after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(|v| v.split_whitespace().next().unwrap_or("").to_string())
        .unwrap_or_else(|| panic!("no {label} in:\n{text}"))
}

#[tokio::test]
async fn up_with_app_and_database_on_different_engines_answers_and_down_leaves_nothing_on_either() {
    let _lock = docker_lock();
    let second = SecondHost::start("hosts-up", "10.232.0.0/16", "10.231.7");
    let gw = &second.gateway;
    let config = second.config(&format!("hosts:\n  app: {{address: \"{}\", build: false}}\n  db: {{reach_as: {gw}, publish_on: {gw}}}\n", second.address()));
    let config = config.to_str().unwrap();
    let (output, stdout, stderr) = run(&["--config", config, "up", "fiber", "--products", "200"]);
    let run_id = run_id_in(&stdout).unwrap_or_default();
    let app_engine = second.engine().await;
    let checked = check_placed_up(output.status.success(), &stdout, &stderr, &run_id, &app_engine, gw).await;
    if let Err(problem) = checked {
        common::remove_run(&run_id).await;
        panic!("{problem}");
    }
    if labelled().await != labelled_by_run(&run_id).await {
        common::remove_run(&run_id).await;
        panic!("other sessions' objects are labelled on the main engine: not running `bakeoff down` over them");
    }
    let (output, stdout, stderr) = run(&["--config", config, "down"]);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("removed ")).count(), 2, "down names both engines: {stdout}");
    assert_eq!(labelled_by_run(&run_id).await, Removed::default(), "left on the main engine");
    assert_eq!(app_engine.count(&Scope::All).await.unwrap(), Removed::default(), "left on the app's engine");
}

/// The app on the second engine, PostgreSQL on the main one, the app reaching it at the gateway.
async fn check_placed_up(succeeded: bool, stdout: &str, stderr: &str, run_id: &str, app_engine: &Engine, gw: &str) -> Result<(), String> {
    if !succeeded {
        return Err(format!("up fiber failed: {stderr}"));
    }
    let on_app_engine = app_engine.count(&Scope::Run(run_id.to_string())).await.map_err(|e| e.to_string())?;
    let on_main = labelled_by_run(run_id).await;
    if on_app_engine.containers != 1 || on_main.containers != 1 {
        return Err(format!("containers of the run: {} on the app's engine, {} on the main one (want 1 and 1)", on_app_engine.containers, on_main.containers));
    }
    let uses = stdout.lines().find_map(|l| l.split("(the app uses ").nth(1)).unwrap_or_default();
    if !uses.starts_with(&format!("postgres://bakeoff:bakeoff@{gw}:")) {
        return Err(format!("the app's DATABASE_URL is not the database host's reach_as: {stdout}"));
    }
    let base = after(stdout, "app URL:").trim_end_matches("/health").to_string();
    let search = reqwest::get(format!("{base}/products/search?q=wireless")).await.map_err(|e| e.to_string())?;
    let body = search.text().await.map_err(|e| e.to_string())?;
    if !body.contains("\"items\"") {
        return Err(format!("the search on {base} has no items: {body}"));
    }
    let logs = format!("docker -H {} logs -f bakeoff-{run_id}-fiber", app_engine.host());
    stdout.contains(&logs).then_some(()).ok_or(format!("no `{logs}` in: {stdout}"))
}

#[tokio::test]
async fn doctor_names_the_path_a_load_host_cannot_take_to_the_app_and_passes_the_database_path() {
    let _lock = docker_lock();
    let second = SecondHost::start("hosts-doctor", "10.234.0.0/16", "10.233.7");
    let gw = &second.gateway;
    // The app stays on the main engine at 127.0.0.1: a container on another engine cannot reach that.
    let config = second
        .config(&format!("hosts:\n  db: {{address: \"{a}\", reach_as: {gw}, publish_on: {gw}}}\n  load:\n    - {{address: \"{a}\"}}\n", a = second.address()));
    let (output, stdout, stderr) = run(&["--config", config.to_str().unwrap(), "doctor"]);
    assert!(!output.status.success(), "doctor passed a load host that cannot reach the app:\n{stdout}");
    let load = stdout.lines().find(|l| l.contains("path hosts.load[0] → hosts.app")).unwrap_or_else(|| panic!("no load path line:\n{stdout}\n{stderr}"));
    assert!(load.contains("FAIL") && load.contains(&format!("engine {}", second.address())) && load.contains("127.0.0.1:"), "{load}");
    let db = stdout.lines().find(|l| l.contains("path hosts.app → hosts.db")).unwrap_or_else(|| panic!("no database path line:\n{stdout}"));
    assert!(db.contains(" ok ") && db.contains(&format!("{gw}:")), "{db}");
    assert!(stdout.contains("hosts.db, hosts.load[0] clock"), "one clock line per engine:\n{stdout}");
    assert_eq!(second.engine().await.count(&Scope::All).await.unwrap(), Removed::default(), "doctor left its probes on the second engine");
}

/// Runs openssl with `args` in `dir`.
fn openssl(dir: &Path, args: &str) {
    let output = Command::new("openssl").current_dir(dir).args(args.split_whitespace()).output().expect("openssl runs");
    assert!(output.status.success(), "openssl {args}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate (`ca.pem`, `cert.pem`,
/// `key.pem`: the layout of DOCKER_CERT_PATH) in `dir`.
fn certificates(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n").unwrap();
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(dir, "req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 1 -subj /CN=bakeoff-test-ca");
    openssl(dir, "req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=127.0.0.1");
    openssl(dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 1 -extfile server.ext");
    openssl(dir, "req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=bakeoff-client");
    openssl(dir, "x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 1 -extfile client.ext");
}

#[tokio::test]
async fn doctor_reaches_a_tls_engine_with_the_client_certificates_of_cert_dir_and_names_a_missing_one() {
    let _lock = docker_lock();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let second = SecondHost::start_with("hosts-tls", "10.236.0.0/16", "10.235.7", |root| {
        let c = root.join("certs");
        certificates(&c);
        let (ca, cert, key) = (c.join("ca.pem"), c.join("server-cert.pem"), c.join("server-key.pem"));
        format!("-H tcp://127.0.0.1:{port} --tlsverify --tlscacert={} --tlscert={} --tlskey={}", ca.display(), cert.display(), key.display())
    });
    let certs = second.engine.root.join("certs");
    let config = second.config(&format!("hosts:\n  load:\n    - {{address: \"tcp://127.0.0.1:{port}\", cert_dir: {}}}\n", certs.display()));
    let (_, stdout, stderr) = run(&["--config", config.to_str().unwrap(), "doctor"]);
    let line = stdout
        .lines()
        .find(|l| l.contains("hosts.load[0] ") && l.contains("Docker"))
        .unwrap_or_else(|| panic!("no line for the TLS engine:\n{stdout}\n{stderr}"));
    assert!(line.contains(" ok ") && line.contains(&format!("tcp://127.0.0.1:{port}")), "{line}");

    std::fs::remove_file(certs.join("key.pem")).unwrap();
    let (output, stdout, _) = run(&["--config", config.to_str().unwrap(), "doctor"]);
    assert!(!output.status.success());
    let line = stdout.lines().find(|l| l.contains("hosts.load[0] ")).unwrap_or_else(|| panic!("no line for the TLS engine:\n{stdout}"));
    assert!(line.contains("FAIL") && line.contains("no key.pem in"), "{line}");
}

#[tokio::test]
async fn a_panic_after_the_database_started_on_another_engine_removes_the_session_there_too() {
    let _lock = docker_lock();
    let second = SecondHost::start("hosts-panic", "10.238.0.0/16", "10.237.7");
    let gw = &second.gateway;
    let config = second.config(&format!("hosts:\n  db: {{address: \"{}\", build: false, reach_as: {gw}, publish_on: {gw}}}\n", second.address()));
    let output = common::bakeoff()
        .args(["--config", config.to_str().unwrap(), "up", "--products", "200"])
        .env(bakeoff::session::PANIC_AFTER_ENV, "stack")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(&format!("cleaned up on {}", second.address())), "no clean-up on the database's engine: {stderr}");
    assert_eq!(second.engine().await.count(&Scope::All).await.unwrap(), Removed::default(), "left on the database's engine");
    let run_id = run_id_in(&stderr).expect("the run id");
    assert_eq!(labelled_by_run(&run_id).await, Removed::default(), "left on the main engine");
}

#[test]
fn run_with_an_app_engine_that_does_not_answer_names_the_key_to_fix() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "hosts:\n  app: {address: \"unix:///tmp/no-such-engine.sock\"}\n").unwrap();
    let (output, _, stderr) = run(&["--config", config.path().to_str().unwrap(), "run", "--quick"]);
    assert!(!output.status.success());
    assert!(stderr.contains("hosts.app") && stderr.contains("no-such-engine.sock") && stderr.contains("fix hosts.app.address"), "{stderr}");
}

/// What `engine` (a `docker -H` address) created since `since` (Unix seconds): container names.
fn containers_created(address: &str, since: u64) -> Vec<String> {
    let until = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
    let out = Command::new("docker")
        .args(["-H", address, "events", "--since", &since.to_string(), "--until", &until.to_string()])
        .args(["--filter", "type=container", "--filter", "event=create", "--format", "{{.Actor.Attributes.name}}"])
        .output()
        .unwrap();
    assert!(out.status.success(), "docker events: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[tokio::test]
async fn a_run_with_app_database_and_load_on_different_engines_sends_exactly_the_single_generator_schedule() {
    let _lock = docker_lock();
    let app_host = SecondHost::start("run-app", "10.224.0.0/16", "10.223.7");
    let first = SecondEngine::new("load-a", "10.226.255.1/24").started("10.226.0.0/16", "");
    let second = SecondEngine::new("load-b", "10.227.255.1/24").started("10.227.0.0/16", "");
    let scratch = tempfile::tempdir().unwrap();
    let (rates, measure_s) = ([("search", 40u64), ("checkout", 10), ("mixed", 20)], 4u64);
    let workloads: String = rates.iter().map(|(w, rps)| format!("    {w}: {rps}\n")).collect();
    let gw = &app_host.gateway;
    let config = app_host.config(&format!(
        "paths:\n  results_dir: {}\nhosts:\n  app: {{address: \"{}\", build: false}}\n  db: {{reach_as: {gw}, publish_on: {gw}}}\n  load:\n\
         \x20   - {{address: \"{}\", build: false}}\n    - {{address: \"{}\", build: false}}\n\
         run:\n  quick_products: 2000\n  quick_measure_s: {measure_s}\n  workloads:\n{workloads}",
        scratch.path().display(),
        app_host.address(),
        first.address(),
        second.address()
    ));
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (output, stdout, stderr) = run(&["run", "--quick", "--scenario", "steady", "--config", config.to_str().unwrap(), "express"]);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    let dir = std::fs::read_dir(scratch.path()).unwrap().flatten().map(|e| e.path()).find(|p| p.join("run.json").is_file()).expect("a run folder");
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(document["apps"][0]["status"], "measured", "{}", document["apps"][0]);
    let workloads = document["apps"][0]["workloads"].as_array().unwrap();
    assert_eq!(workloads.len(), 3);
    for w in workloads {
        let rps = rates.iter().find(|(name, _)| w["workload"] == *name).unwrap().1;
        let load = &w["load"];
        assert_eq!(load["asked"].as_u64(), Some(rps * measure_s), "exactly the one-generator schedule of {}: {load}", w["workload"]);
        assert!(load["ok"].as_u64().unwrap() > 0, "the app on its engine answered: {load}");
        let shares: Vec<&str> = load["generators"].as_array().unwrap().iter().map(|g| g["share"].as_str().unwrap()).collect();
        assert_eq!(shares, ["0/2", "1/2"], "each generator reported on its own");
    }
    let run_id = dir.file_name().unwrap().to_string_lossy().into_owned();
    let of_run = |names: Vec<String>, prefix: &str| names.into_iter().filter(|n| n.starts_with(&format!("{prefix}{run_id}"))).collect::<Vec<_>>();
    let (on_first, on_second) =
        (of_run(containers_created(&first.address(), since), "bakeoff-loadgen-"), of_run(containers_created(&second.address(), since), "bakeoff-loadgen-"));
    assert!(!on_first.is_empty() && on_first.iter().all(|n| n.ends_with("-0-of-2")), "share 0 runs on the first load engine: {on_first:?}");
    assert!(!on_second.is_empty() && on_second.iter().all(|n| n.ends_with("-1-of-2")), "share 1 runs on the second load engine: {on_second:?}");
    let on_app = containers_created(&app_host.address(), since);
    assert!(on_app.iter().any(|n| n.contains(&run_id) && n.contains("express")), "the measured app runs on the app's engine: {on_app:?}");
    assert!(!on_app.iter().any(|n| n.contains("postgres")), "PostgreSQL stays on the database's engine: {on_app:?}");
    let on_main = containers_created(&common::docker_host(), since);
    assert!(!on_main.iter().any(|n| n.starts_with("bakeoff-loadgen-")), "no generator on the main engine: {on_main:?}");
    for address in [app_host.address(), first.address(), second.address()] {
        let left = Engine::connect(&address, "test").await.unwrap().count(&Scope::All).await.unwrap();
        assert_eq!(left, Removed::default(), "left on {address}");
    }
    assert_eq!(labelled_by_run(&run_id).await, Removed::default(), "left on the main engine");
}
