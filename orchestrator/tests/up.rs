//! `bakeoff up APP` and compose/apps.yaml against the real engine: an app by hand.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use bakeoff::docker::Removed;
use common::{docker_lock, labelled_by_run, remove_run, repo_root, run, run_id_in};

/// The value after `label` on a line of `text`.
fn after(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(|v| v.split_whitespace().next().unwrap_or("").to_string())
        .unwrap_or_else(|| panic!("no {label} in:\n{text}"))
}

/// Polls `url` until it answers 200; Err after `limit`.
async fn answers(url: &str, limit: Duration) -> Result<String, String> {
    let started = Instant::now();
    loop {
        if let Ok(response) = reqwest::get(url).await {
            if response.status() == 200 {
                return Ok(response.text().await.unwrap_or_default());
            }
        }
        if started.elapsed() > limit {
            return Err(format!("{url} did not answer 200 within {limit:?}"));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn up_fastapi_answers_on_the_printed_urls_and_down_leaves_nothing_of_it() {
    let _lock = docker_lock();
    let (output, stdout, stderr) = run(&["up", "fastapi", "--products", "200"]);
    let run_id = run_id_in(&stdout).unwrap_or_default();
    if let Err(problem) = check_up(output.status.success(), &stdout, &stderr, &run_id).await {
        remove_run(&run_id).await;
        panic!("{problem}");
    }
    if common::labelled().await != labelled_by_run(&run_id).await {
        remove_run(&run_id).await;
        panic!("other sessions' objects are labelled on this engine: not running `bakeoff down` over them");
    }
    let (output, _, stderr) = run(&["down"]);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(labelled_by_run(&run_id).await, Removed::default());
}

/// What `up fastapi` printed and started, checked; Err names the first problem.
async fn check_up(succeeded: bool, stdout: &str, stderr: &str, run_id: &str) -> Result<(), String> {
    if !succeeded {
        return Err(format!("up fastapi failed: {stderr}"));
    }
    let containers = labelled_by_run(run_id).await.containers;
    if containers != 2 {
        return Err(format!("{containers} containers labelled with the run, not the database and the app"));
    }
    let app_url = after(stdout, "app URL:");
    let base = app_url.strip_suffix("/health").filter(|b| b.starts_with("http://127.0.0.1:")).ok_or(format!("app URL: {stdout}"))?;
    answers(&app_url, Duration::from_secs(5)).await?;
    if !answers(&format!("{base}/products/search?q=wireless"), Duration::from_secs(5)).await?.contains("\"items\"") {
        return Err("the search on the printed URL has no items".into());
    }
    answers(&format!("{base}/metrics"), Duration::from_secs(5)).await?;
    if after(stdout, "metrics URL:") != format!("{base}/metrics") || after(stdout, "logs:         docker logs -f") != format!("bakeoff-{run_id}-fastapi") {
        return Err(format!("metrics URL or logs command: {stdout}"));
    }
    let client = bakeoff::stack::connect(&after(stdout, "database URL:")).await.map_err(|e| format!("the printed database URL: {e}"))?;
    let products: i64 = client.query_one("SELECT count(*) FROM products", &[]).await.map_err(|e| e.to_string())?.get(0);
    (products == 200).then_some(()).ok_or(format!("{products} products"))
}

fn compose(project: &str, args: &[&str]) -> std::process::Output {
    Command::new("docker-compose")
        .current_dir(repo_root())
        .args(["-f", "compose/apps.yaml", "-p", project, "--profile", "fastapi"])
        .args(args)
        .envs([("BAKEOFF_POSTGRES_PORT", "25432"), ("BAKEOFF_FASTAPI_PORT", "28003")])
        .output()
        .expect("docker-compose runs (scripts/test installs Debian's docker-compose)")
}

#[tokio::test]
async fn compose_starts_fastapi_by_hand_with_the_same_image_and_stops_it() {
    let _lock = docker_lock();
    let (output, _, stderr) = run(&["up", "fastapi", "--products", "100"]);
    let run_id = run_id_in(&String::from_utf8_lossy(&output.stdout)).unwrap_or_default();
    remove_run(&run_id).await;
    assert!(output.status.success(), "building the image through up failed: {stderr}");
    let project = format!("bakeoff-compose-test-{}", std::process::id());
    let before = labelled_by_run("compose").await;
    let up = compose(&project, &["up", "-d"]);
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let health = answers("http://127.0.0.1:28003/health", Duration::from_secs(140)).await;
    let down = compose(&project, &["down", "-v"]);
    assert!(health.is_ok(), "fastapi started with compose: {health:?}");
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    assert_eq!(labelled_by_run("compose").await, before, "down -v removed what up started");
}
