//! `bakeoff compare` on committed result sets (tests/data/compare/, see its README): real quick
//! runs of express with three repetitions (noise only between them), and a copy of one with a
//! regression made by hand.

mod common;

use std::path::PathBuf;

use common::run;

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/compare").join(name).display().to_string()
}

#[test]
fn two_runs_that_differ_only_by_noise_pass_the_gate_and_say_within_noise() {
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("compare.html");
    let (output, stdout, stderr) = run(&["compare", &data("a"), &data("b"), "--fail-if-slower", "10", "--out", html.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("within noise") && !stdout.contains("REGRESSION"), "{stdout}");
    let opened = common::browser::open(&html, 1280, 800);
    assert!(opened.console.is_empty() && opened.page_requests.is_empty(), "{:?} {:?}", opened.console, opened.page_requests);
    assert!(opened.dom.contains("express"), "compare.html names the app");
}

#[test]
fn a_regression_beyond_the_noise_fails_the_gate_naming_the_figure() {
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("compare.html");
    let (output, stdout, stderr) = run(&["compare", &data("b"), &data("b-regressed"), "--fail-if-slower", "10", "--out", html.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("regression: express / search p99_us") && stderr.contains("beyond noise"), "{stderr}");
    assert!(stdout.contains("REGRESSION"), "{stdout}");
    let (output, _, _) = run(&["compare", &data("b"), &data("b-regressed"), "--out", html.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "without --fail-if-slower a comparison only reports");
}

#[test]
fn runs_on_another_dataset_are_refused_unless_forced() {
    let scratch = tempfile::tempdir().unwrap();
    let other = scratch.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let mut run_json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(PathBuf::from(data("b")).join("run.json")).unwrap()).unwrap();
    run_json["dataset"]["checksum_sha256"] = "0".repeat(64).into();
    std::fs::write(other.join("run.json"), run_json.to_string()).unwrap();
    let html = scratch.path().join("c.html");
    let (output, _, stderr) = run(&["compare", &data("a"), other.to_str().unwrap(), "--out", html.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("differ in dataset") && stderr.contains("--force"), "{stderr}");
    let (output, _, stderr) = run(&["compare", &data("a"), other.to_str().unwrap(), "--force", "--out", html.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn a_folder_without_run_json_is_named_in_the_error() {
    let scratch = tempfile::tempdir().unwrap();
    let (output, _, stderr) = run(&["compare", &data("a"), scratch.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("run.json") && stderr.contains("give run folders"), "{stderr}");
}
