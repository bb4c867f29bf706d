//! One scripted feedback session end to end, as a developer would run it: `change start`, the
//! change made in the workspace (here: the reference patch), `change check`, `change finish`
//! with an answers file — and the session file it leaves validates against its JSON Schema.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{docker_lock, repo_root, run};

#[test]
fn a_scripted_session_from_start_to_finish_leaves_a_session_file_that_fits_its_schema() {
    let _lock = docker_lock();
    let results = tempfile::tempdir().unwrap();
    let config = results.path().join("config.yaml");
    std::fs::write(&config, format!("paths:\n  results_dir: {}\n", results.path().display())).unwrap();
    let config = config.to_str().unwrap();

    let (output, stdout, stderr) = run(&["--config", config, "change", "start", "fastapi", "discount-codes", "--who", "ci"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("# Discount codes") || stdout.contains("discount"), "the brief is printed: {stdout}");
    let session_dir = only_folder(&results.path().join("feedback"));
    let workspace = session_dir.join("fastapi");
    let patch = repo_root().join("orchestrator/tests/fixtures/changes/discount-codes/fastapi.patch");
    let applied = Command::new("git").args(["apply", "--whitespace=nowarn"]).arg(&patch).current_dir(&workspace).status().unwrap();
    assert!(applied.success(), "the reference patch applies to the workspace");

    let (output, stdout, stderr) = run(&["--config", config, "change", "check"]);
    assert!(output.status.success(), "the patched workspace is green:\n{stdout}\n{stderr}");
    assert!(stdout.contains("GREEN"), "{stdout}");

    let answers = results.path().join("answers.yaml");
    std::fs::write(&answers, "ease: 4\nconfidence: 5\nhelped: the brief's worked example\ngot_in_the_way: ''\ncomments: quick\n").unwrap();
    let (output, stdout, stderr) = run(&["--config", config, "change", "finish", "--no-check", "--answers", answers.to_str().unwrap()]);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    let session: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(session_dir.join("session.json")).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo_root().join("results/session.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&session).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let finish = &session["finish"];
    assert_eq!(session["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(finish["green"], true);
    assert!(finish["time_to_green_s"].as_f64().unwrap() > 0.0);
    assert!(finish["diff"]["lines_added"].as_u64().unwrap() > 10, "{finish}");
    assert!(!finish["diff"]["files_touched"].as_array().unwrap().is_empty());
    assert_eq!(finish["survey"]["ease"], 4);

    let (output, stdout, _) = run(&["--config", config, "change", "report", results.path().join("feedback").to_str().unwrap()]);
    assert!(output.status.success());
    assert!(stdout.contains("| fastapi") && stdout.contains("discount-codes") && stdout.contains("“quick”"), "{stdout}");
}

fn only_folder(dir: &std::path::Path) -> PathBuf {
    let folders: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    folders.into_iter().next().unwrap()
}
