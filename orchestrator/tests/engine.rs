//! Integration tests against the real Docker engine: images, PostgreSQL, seed, down, Ctrl-C.

mod common;

use std::time::{Duration, Instant};

use bakeoff::docker::Removed;
use common::{bakeoff, docker_lock, labelled, labelled_by_run, remove_run, run, run_id_in, Watched};

/// The documented checksum of the 1,000-product dataset with seed 42 (datasets/README.md).
const CHECKSUM_1000_SEED_42: &str = "05ffea8d97b49e8beb4b6c8387d1830fe5ac50fa3c75e3bf0b4320537c074040";

#[tokio::test]
async fn images_base_is_built_once_and_records_where_it_came_from() {
    let _lock = docker_lock();
    let (output, stdout, stderr) = run(&["images", "base"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("bakeoff/base:trixie"), "{stdout}");
    let (output, stdout, _) = run(&["images", "base"]);
    assert!(output.status.success());
    assert!(stdout.contains("already present"), "second call rebuilt: {stdout}");
    assert!(stdout.contains("debootstrap") || stdout.contains("registry"), "no provenance: {stdout}");
}

#[tokio::test]
async fn up_seeds_a_database_that_answers_and_down_removes_everything() {
    let _lock = docker_lock();
    let before = labelled().await;
    let (output, stdout, stderr) = run(&["up", "--products", "1000", "--seed", "42"]);
    assert!(output.status.success(), "up failed: {stderr}");
    assert!(stdout.contains(CHECKSUM_1000_SEED_42), "checksum differs from the documented one: {stdout}");
    let url = stdout.lines().find_map(|l| l.trim().strip_prefix("from this host:")).map(|u| u.trim().to_string()).expect("up prints the host URL");
    let client = bakeoff::stack::connect(&url).await.expect("database answers");
    let count = |table: &'static str| {
        let client = &client;
        async move { client.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get::<_, i64>(0) }
    };
    assert_eq!(count("products").await, 1000);
    assert_eq!(count("categories").await, 295);
    assert_eq!(count("orders").await, 0);
    let reserved = client.query_one("SELECT count(*) FROM products WHERE id <= 32 AND stock = 10", &[]).await.unwrap();
    assert_eq!(reserved.get::<_, i64>(0), 32);
    let search = "SELECT count(*) FROM products WHERE search_vector @@ websearch_to_tsquery('english', 'wireless')";
    assert!(client.query_one(search, &[]).await.unwrap().get::<_, i64>(0) > 0, "full-text search finds nothing");
    drop(client);
    assert_eq!(labelled().await.containers, before.containers + 1);

    let (output, stdout, _) = run(&["down"]);
    assert!(output.status.success());
    let removed = format!("removed {} container(s), {} network(s), {} volume(s)", before.containers + 1, before.networks + 1, before.volumes + 1);
    assert!(stdout.contains(&removed), "{stdout}");
    assert_eq!(labelled().await, Removed::default());
}

#[tokio::test]
async fn seeding_the_same_database_twice_is_refused_without_reset() {
    let _lock = docker_lock();
    let (output, stdout, stderr) = run(&["up", "--products", "200", "--seed", "7"]);
    assert!(output.status.success(), "{stderr}");
    let url = stdout.lines().find_map(|l| l.trim().strip_prefix("from this host:")).unwrap().trim().to_string();
    let (output, _, stderr) = run(&["seed", "--products", "200", "--database-url", &url]);
    assert!(!output.status.success());
    assert!(stderr.contains("already holds a catalogue") && stderr.contains("--reset"), "{stderr}");
    let (output, _, stderr) = run(&["seed", "--products", "300", "--database-url", &url, "--reset"]);
    assert!(output.status.success(), "{stderr}");
    run(&["down"]);
    assert_eq!(labelled().await, Removed::default());
}

#[tokio::test]
async fn ctrl_c_mid_run_leaves_nothing_labelled_behind() {
    let _lock = docker_lock();
    let before = labelled().await;
    let mut child = bakeoff().args(["up", "--products", "1000000"]).spawn().expect("bakeoff starts");
    let started = Instant::now();
    while labelled().await.containers == before.containers {
        assert!(started.elapsed() < Duration::from_secs(120), "no container appeared");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let status = wait_with_timeout(&mut child, Duration::from_secs(60)).await;
    assert_eq!(status.code(), Some(130), "interrupted run should exit 130");
    assert_eq!(labelled().await, before, "the interrupted session left objects behind");
}

async fn wait_with_timeout(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            panic!("bakeoff did not stop within {limit:?} of SIGINT");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_container_started_by_hand_from_a_bakeoff_image_is_not_taken_for_one_of_bakeoffs() {
    let _lock = docker_lock();
    let (output, _, stderr) = run(&["images", "base"]);
    assert!(output.status.success(), "{stderr}");
    let name = "bakeoff-test-by-hand";
    let before = labelled().await.containers;
    let status = std::process::Command::new("docker").args(["create", "--name", name, "bakeoff/base:trixie", "true"]).output().unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let counted = labelled().await.containers;
    std::process::Command::new("docker").args(["rm", "-f", name]).output().unwrap();
    assert_eq!(counted, before, "image labels leaked bakeoff.managed-by onto a container bakeoff did not start");
}

#[tokio::test]
async fn a_panic_mid_command_still_removes_what_the_session_created() {
    let _lock = docker_lock();
    let output = bakeoff().args(["up", "--products", "1000"]).env("BAKEOFF_PANIC_AFTER", "stack").output().expect("bakeoff runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let run_id = run_id_in(&text).expect("the output names the run");
    let left = labelled_by_run(&run_id).await;
    remove_run(&run_id).await;
    assert_eq!(output.status.code(), Some(101), "the test hook should panic:\n{text}");
    assert!(text.contains("deliberate panic"), "{text}");
    assert_eq!(left, Removed::default(), "a panic left run {run_id}'s objects behind:\n{text}");
}

#[tokio::test]
async fn a_second_ctrl_c_exits_at_once_without_waiting_for_the_clean_up() {
    let _lock = docker_lock();
    let mut watched = Watched::spawn(bakeoff().args(["up", "--products", "1000000"]));
    watched.wait_for_line("seeding", Duration::from_secs(120));
    std::thread::sleep(Duration::from_secs(1));
    watched.interrupt();
    watched.wait_for_line("interrupted", Duration::from_secs(10));
    watched.interrupt();
    let exit = watched.wait_exit(Duration::from_secs(30));
    let stderr = watched.rest_of_stderr();
    if let Some(run_id) = run_id_in(&stderr) {
        remove_run(&run_id).await;
    }
    let (status, took) = exit.unwrap_or_else(|| panic!("no exit within 30 s of the second SIGINT:\n{stderr}"));
    eprintln!("exited {took:?} after the second SIGINT");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("exiting at once"), "the second SIGINT was not taken as 'exit now':\n{stderr}");
    assert!(took < Duration::from_millis(500), "took {took:?} after the second SIGINT:\n{stderr}");
}

#[tokio::test]
async fn an_app_image_rebuilt_from_cache_is_reported_as_cached_not_as_a_fast_build() {
    let _lock = docker_lock();
    let (output, _, stderr) = run(&["images", "base"]);
    assert!(output.status.success(), "{stderr}");
    let apps = tempfile::tempdir().unwrap();
    let id = format!("cache-probe-{}", bakeoff::session::new_run_id());
    let dir = apps.path().join(&id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM bakeoff/base:trixie\nCOPY nonce /nonce\nRUN sleep 1\n").unwrap();
    std::fs::write(dir.join("nonce"), &id).unwrap();
    let manifest = format!(
        "id: {id}\ndisplay_name: probe\nlanguage: none\nframework: {{name: none, version: '0'}}\nruntime: {{name: none, version: '0'}}\nserver: none\norm_or_driver: none\nport: 8080\nhealth_path: /health\ntouch_file: nonce\ntags: {{orm: raw, concurrency: threads, processes: single}}\nmax_in_flight: {{total: 1}}\n"
    );
    std::fs::write(dir.join("app.yaml"), manifest).unwrap();
    let app = bakeoff::images::apps::discover(apps.path()).unwrap().remove(0);
    let engine = bakeoff::docker::Engine::connect(&common::docker_host(), "test").await.unwrap();
    let first = bakeoff::images::apps::build_app(&engine, &app).await;
    let second = bakeoff::images::apps::build_app(&engine, &app).await;
    std::process::Command::new("docker").args(["rmi", "-f", &app.image_tag()]).output().unwrap();
    let (first, second) = (first.unwrap(), second.unwrap());
    assert!(!first.cached && first.build_ms.is_some_and(|ms| ms >= 1000), "the first build ran `sleep 1`: {first:?}");
    assert!(second.cached, "nothing was rebuilt the second time: {second:?}");
    assert_eq!(second.build_ms, None, "a cache hit has no build time of its own: {second:?}");
}
