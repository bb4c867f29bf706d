//! `bakeoff run --quick` end to end on the real apps; results checked against the JSON Schema.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bakeoff::docker::Removed;
use common::{bakeoff, docker_lock, labelled_by_run, remove_run, repo_root, run, Watched};

/// A config file in `scratch` writing results there, with `run:` keys added.
fn config_in(scratch: &Path, run_keys: &str) -> PathBuf {
    let config = scratch.join("bakeoff.yaml");
    std::fs::write(&config, format!("paths:\n  results_dir: {}\nrun:\n{run_keys}", scratch.display())).unwrap();
    config
}

/// The run folder bakeoff made in `scratch` (named by the run id).
fn run_dir(scratch: &Path) -> Option<PathBuf> {
    std::fs::read_dir(scratch).unwrap().flatten().map(|e| e.path()).find(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with("verify-"))
}

fn check_schema(document: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo_root().join("results/run.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let problems: Vec<String> = validator.iter_errors(document).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(problems.is_empty(), "run.json does not fit the schema: {problems:#?}");
}

#[tokio::test]
async fn a_quick_bake_off_writes_results_that_fit_the_schema_prints_a_leaderboard_and_exits_2_on_a_broken_slo() {
    let _lock = docker_lock();
    let scratch = tempfile::tempdir().unwrap();
    let config = config_in(scratch.path(), "  slo:\n    p99_ms: 0.001\n");
    let (output, stdout, stderr) = run(&["run", "--quick", "--config", config.to_str().unwrap(), "express", "fastapi"]);
    assert_eq!(output.status.code(), Some(2), "a p99 over 0.001 ms breaks the SLO:\n{stdout}\n{stderr}");
    assert!(stderr.contains("SLO broken") && stderr.contains("express / search: p99") && stderr.contains("> 0.001 ms"), "{stderr}");
    for workload in ["search workload", "checkout workload", "mixed workload"] {
        assert!(stdout.contains(workload), "no {workload} table: {stdout}");
    }
    let dir = std::fs::read_dir(scratch.path()).unwrap().flatten().map(|e| e.path()).find(|p| p.join("run.json").is_file()).expect("a run folder");
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    check_schema(&document);

    let apps = document["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 2);
    for app in apps {
        assert_eq!(app["status"], "measured", "{app}");
        assert_eq!(app["workloads"].as_array().unwrap().len(), 3);
        assert!(app["cold_start_ms"].as_u64().unwrap() > 0);
        let cached = app["build_cached"].as_bool().expect("build_cached is a boolean");
        assert_eq!(app["build_ms"].is_null(), cached, "a build time only for a real build: {app}");
        for w in app["workloads"].as_array().unwrap() {
            let load = &w["load"];
            let count = |field: &str| load[field].as_u64().unwrap_or_else(|| panic!("no load.{field}: {w}"));
            assert!(count("ok") > 0 && count("ok") <= count("answered") && count("answered") <= count("sent"), "{w}");
            assert_eq!(count("asked"), count("sent") + count("dropped"), "every asked request is sent or dropped: {w}");
            assert!(w["app_resources"]["samples"].as_u64().unwrap() > 0, "no docker stats sampled: {w}");
            assert!(dir.join(w["histogram_file"].as_str().unwrap()).is_file());
            let intervals = std::fs::read_to_string(dir.join(w["intervals_file"].as_str().unwrap())).unwrap();
            assert!(intervals.lines().count() >= 5, "fewer than one row per measured second: {intervals}");
        }
    }
    // The scenarios: capacity for every workload, steady at half the lowest capacity, a spike.
    assert!(stdout.contains("capacity at the slo: The highest arrival rate") && stdout.contains("spike: search"), "{stdout}");
    for (workload, rate) in document["steady_rates"].as_object().expect("steady rates") {
        assert!(rate["rps"].as_f64().unwrap() > 0.0 && rate["why"].as_str().unwrap().contains("lowest capacity"), "{workload}: {rate}");
    }
    for app in apps {
        let capacity = app["capacity"].as_array().unwrap();
        assert_eq!(capacity.len(), 3, "{app}");
        for c in capacity {
            let steps = c["steps"].as_array().unwrap();
            assert!(steps.len() >= 2, "a search takes at least two steps: {c}");
            assert!(c["bound"] != "below" && c["capacity_rps"].as_f64().unwrap() >= steps[0]["rps"].as_f64().unwrap() / 8.0, "{c}");
            let passed: Vec<f64> = steps.iter().filter(|s| s["passed"] == true).map(|s| s["rps"].as_f64().unwrap()).collect();
            assert_eq!(passed.iter().cloned().fold(0.0, f64::max), c["capacity_rps"].as_f64().unwrap(), "the capacity is the best rate that passed: {c}");
        }
        let spike = &app["spike"];
        assert_eq!(spike["peak_rps"].as_f64().unwrap(), 4.0 * spike["base_rps"].as_f64().unwrap(), "{spike}");
        assert!(spike["p99_per_second_us"].as_array().unwrap().len() >= 15, "a row per second of 3 + 4 + 8 s: {spike}");
        assert!(spike["max_outstanding"].as_u64().unwrap() >= 1, "{spike}");
        assert!(dir.join(spike["phase"]["intervals_file"].as_str().unwrap()).is_file());
        let runs = app["cold_start"]["runs"].as_array().expect("cold-start runs");
        assert_eq!(runs.len(), 3, "{app}");
        for run in runs {
            let at = |field: &str| run[field].as_u64().unwrap_or_else(|| panic!("no {field}: {run}"));
            assert!(0 < at("tcp_accept_ms") && at("tcp_accept_ms") <= at("healthy_ms") && at("healthy_ms") <= at("first_search_ms"), "{run}");
            assert!(at("first_search_ms") <= at("first_checkout_ms"), "{run}");
        }
        let deploy = &app["deploy"];
        assert!(deploy["incremental_build_ms"].as_u64().unwrap() > 0 && deploy["restart_ms"].as_u64().unwrap() > 0, "{deploy}");
        let restart = &app["db_restart"];
        assert_eq!((restart["passed"].as_bool(), restart["lost_orders"].as_u64()), (Some(true), Some(0)), "{restart}");
        assert!(restart["acknowledged_orders"].as_u64().unwrap() > 0, "{restart}");
    }
    let csv = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 3, "{csv}");
    assert!(std::fs::read_to_string(dir.join("summary.md")).unwrap().contains("| fastapi | search |"));
    let run_id = dir.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(labelled_by_run(&run_id).await, Removed::default(), "run {run_id} left objects behind");
    report_opens_cleanly_with_the_numbers_of_run_json(&dir, &document);
}

/// report.html in headless Chromium: no console message, no request, a first screen that is not
/// blank, and every app × workload of run.json in the embedded data with the same numbers.
fn report_opens_cleanly_with_the_numbers_of_run_json(dir: &Path, document: &serde_json::Value) {
    let opened = common::browser::open(&dir.join("report.html"), 1280, 900);
    assert!(opened.console.is_empty(), "console messages: {:#?}", opened.console);
    assert!(opened.page_requests.is_empty(), "the page made requests: {:#?}", opened.page_requests);
    let colours = common::browser::distinct_colours(&opened.screenshot);
    assert!(colours > 16, "the first screen looks blank ({colours} colours)");
    std::fs::write(dir.join("report-first-screen.png"), &opened.screenshot).unwrap();
    let data = common::browser::embedded_data(&opened.dom);
    let verdict = data["verdict"].as_array().expect("verdict rows");
    for app in document["apps"].as_array().unwrap() {
        for w in app["workloads"].as_array().unwrap() {
            let row = verdict
                .iter()
                .find(|r| r["app"] == app["app"] && r["workload"] == w["workload"])
                .unwrap_or_else(|| panic!("no verdict row for {} / {}", app["app"], w["workload"]));
            assert_eq!(row["p99_ms"].as_f64().unwrap(), w["load"]["response_time"]["p99_us"].as_f64().unwrap() / 1000.0, "{row}");
            assert_eq!(row["error_rate"], w["load"]["error_rate"], "{row}");
            assert_eq!(row["throughput_rps"], w["load"]["throughput_rps"], "{row}");
        }
    }
    assert!(opened.dom.contains("Latency spectra") && opened.dom.matches("<svg").count() >= 6, "charts missing");
}

#[tokio::test]
async fn ctrl_c_while_measuring_exits_130_within_2_s_and_leaves_nothing_labelled() {
    let _lock = docker_lock();
    let scratch = tempfile::tempdir().unwrap();
    let config = config_in(scratch.path(), "  quick_products: 1000\n");
    let mut watched = Watched::spawn(bakeoff().args(["run", "--quick", "--config", config.to_str().unwrap(), "express"]));
    watched.wait_for_line("measuring", Duration::from_secs(900));
    std::thread::sleep(Duration::from_millis(500));
    watched.interrupt();
    let exit = watched.wait_exit(Duration::from_secs(30));
    let stderr = watched.rest_of_stderr();
    let run_id = run_dir(scratch.path()).expect("a run folder").file_name().unwrap().to_string_lossy().into_owned();
    let left = labelled_by_run(&run_id).await;
    remove_run(&run_id).await;
    let (status, took) = exit.unwrap_or_else(|| panic!("no exit within 30 s of SIGINT:\n{stderr}"));
    eprintln!("exited {took:?} after SIGINT");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(took < Duration::from_secs(2), "took {took:?} to exit after SIGINT:\n{stderr}");
    assert_eq!(left, Removed::default(), "run {run_id} left objects behind:\n{stderr}");
}

#[tokio::test]
async fn a_run_where_no_app_starts_for_measurement_fails_and_lists_the_app_as_skipped() {
    let _lock = docker_lock();
    let scratch = tempfile::tempdir().unwrap();
    let config = config_in(scratch.path(), "  quick_products: 1000\n  app_memory_mb: 8\n");
    let (output, stdout, stderr) = run(&["run", "--quick", "--config", config.to_str().unwrap(), "express"]);
    let dir = run_dir(scratch.path()).expect("a run folder");
    let run_id = dir.file_name().unwrap().to_string_lossy().into_owned();
    let left = labelled_by_run(&run_id).await;
    remove_run(&run_id).await;
    assert_eq!(output.status.code(), Some(1), "nothing was measured, yet:\n{stdout}\n{stderr}");
    assert!(stderr.contains("no app could be measured"), "{stderr}");
    let text = std::fs::read_to_string(dir.join("run.json")).unwrap_or_else(|e| panic!("no run.json ({e}):\n{stderr}"));
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    check_schema(&document);
    let app = &document["apps"][0];
    assert_eq!((app["app"].as_str(), app["status"].as_str()), (Some("express"), Some("skipped")), "{app}");
    let reason = app["skipped_reason"].as_str().unwrap();
    assert!(reason.starts_with("failed to start for measurement: "), "{reason}");
    assert!(reason.contains("log lines"), "the reason shows the app's last log lines: {reason}");
    assert!(stdout.contains("skipped express: failed to start for measurement"), "{stdout}");
    assert_eq!(left, Removed::default(), "run {run_id} left objects behind:\n{stderr}");
}

#[tokio::test]
async fn repeat_measures_every_app_round_robin_and_records_each_repetition_with_its_spread() {
    let _lock = docker_lock();
    let scratch = tempfile::tempdir().unwrap();
    let config = config_in(scratch.path(), "  quick_products: 2000\n  quick_measure_s: 4\n");
    let args = ["run", "--quick", "--repeat", "2", "--scenario", "steady", "--config", config.to_str().unwrap(), "express", "fastapi"];
    let (output, stdout, stderr) = run(&args);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let order: Vec<&str> = stderr.lines().filter(|l| l.starts_with("==> ") && l.contains(": steady (repetition")).collect();
    let expected = [
        "express: steady (repetition 1 of 2)",
        "fastapi: steady (repetition 1 of 2)",
        "express: steady (repetition 2 of 2)",
        "fastapi: steady (repetition 2 of 2)",
    ];
    assert_eq!(order.len(), 4, "{stderr}");
    for (line, want) in order.iter().zip(expected) {
        assert!(line.contains(want), "round-robin across apps: {order:#?}");
    }
    let dir = run_dir(scratch.path()).expect("a run folder");
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    check_schema(&document);
    assert_eq!(document["repeat"], 2);
    for app in document["apps"].as_array().unwrap() {
        let repeats = app["repeats"].as_array().unwrap();
        assert_eq!(repeats.len(), 2, "{app}");
        let p99s: Vec<f64> = repeats
            .iter()
            .map(|r| {
                r["figures"].as_array().unwrap().iter().find(|f| f["workload"] == "search" && f["metric"] == "p99_us").expect("a search p99")["value"]
                    .as_f64()
                    .unwrap()
            })
            .collect();
        let spread = app["spread"].as_array().unwrap().iter().find(|s| s["workload"] == "search" && s["metric"] == "p99_us").expect("a spread").clone();
        assert_eq!(spread["n"], 2);
        assert_eq!(spread["median"].as_f64().unwrap(), (p99s[0] + p99s[1]) / 2.0, "{spread}");
        assert!(dir.join(format!("{}-search-r2.hgrm", app["app"].as_str().unwrap())).is_file(), "the second repetition keeps its own files");
    }
    assert!(stdout.contains("repetitions: Each figure over 2 repetitions"), "{stdout}");
    let run_id = dir.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(labelled_by_run(&run_id).await, Removed::default(), "run {run_id} left objects behind");
}
