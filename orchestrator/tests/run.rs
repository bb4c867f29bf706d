//! `bakeoff run --quick` end to end on the real apps; results checked against the JSON Schema.

mod common;

use common::{docker_lock, labelled, repo_root, run};

#[tokio::test]
async fn a_quick_bake_off_writes_results_that_fit_the_schema_and_prints_a_leaderboard() {
    let _lock = docker_lock();
    let scratch = tempfile::tempdir().unwrap();
    let config = scratch.path().join("bakeoff.yaml");
    std::fs::write(&config, format!("paths:\n  results_dir: {}\n", scratch.path().display())).unwrap();
    let (output, stdout, stderr) = run(&["run", "--quick", "--config", config.to_str().unwrap(), "express", "fastapi"]);
    assert!(output.status.success(), "run failed:\n{stdout}\n{stderr}");
    for workload in ["search workload", "checkout workload", "mixed workload"] {
        assert!(stdout.contains(workload), "no {workload} table: {stdout}");
    }
    let dir = std::fs::read_dir(scratch.path()).unwrap().flatten().map(|e| e.path()).find(|p| p.join("run.json").is_file()).expect("a run folder");
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo_root().join("results/run.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let problems: Vec<String> = validator.iter_errors(&document).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(problems.is_empty(), "run.json does not fit the schema: {problems:#?}");

    let apps = document["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 2);
    for app in apps {
        assert_eq!(app["status"], "measured", "{app}");
        assert_eq!(app["workloads"].as_array().unwrap().len(), 3);
        assert!(app["cold_start_ms"].as_u64().unwrap() > 0);
        for w in app["workloads"].as_array().unwrap() {
            assert!(w["load"]["completed"].as_u64().unwrap() > 0, "{w}");
            assert!(w["app_resources"]["samples"].as_u64().unwrap() > 0, "no docker stats sampled: {w}");
            assert!(dir.join(w["histogram_file"].as_str().unwrap()).is_file());
            let intervals = std::fs::read_to_string(dir.join(w["intervals_file"].as_str().unwrap())).unwrap();
            assert!(intervals.lines().count() >= 8, "fewer than one row per measured second: {intervals}");
        }
    }
    let csv = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 3, "{csv}");
    assert!(std::fs::read_to_string(dir.join("summary.md")).unwrap().contains("| fastapi | search |"));
    assert_eq!(labelled().await, Default::default(), "run left containers behind");
}
