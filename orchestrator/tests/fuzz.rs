//! `bakeoff fuzz` for real: schemathesis (all checks, fixed seed, stateful) finds nothing in any
//! app, and a missing schemathesis is reported with the way to install it.

mod common;

use common::{bakeoff, docker_lock, labelled, run};

#[tokio::test]
async fn schemathesis_finds_nothing_in_any_app() {
    let _lock = docker_lock();
    let before = labelled().await;
    let (output, stdout, stderr) = run(&["fuzz"]);
    assert!(output.status.success(), "schemathesis found contract breaks:\n{stdout}\n{stderr}");
    for app in ["django", "express", "fastapi", "fiber", "gin", "laravel", "nestjs", "rails", "spring"] {
        let row = stdout.lines().find(|l| l.contains(&format!(" {app} "))).unwrap_or_else(|| panic!("no row for {app}: {stdout}"));
        assert!(row.contains("pass"), "{row}");
    }
    assert_eq!(labelled().await, before, "fuzz left containers behind");
}

#[test]
fn a_missing_schemathesis_is_reported_with_how_to_install_it() {
    let output = bakeoff().args(["fuzz", "gin"]).env("BAKEOFF_SCHEMATHESIS", "/nowhere/schemathesis").output().expect("bakeoff runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("schemathesis not found at /nowhere/schemathesis") && stderr.contains("scripts/test"), "{stderr}");
}
