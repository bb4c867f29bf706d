//! `bakeoff verify` for real: the apps pass, and deliberately broken copies are caught.

mod common;

use std::path::Path;

use common::{docker_lock, labelled, repo_root, run};

#[tokio::test]
async fn every_app_passes_verify() {
    let _lock = docker_lock();
    let before = labelled().await;
    let (output, stdout, stderr) = run(&["verify"]);
    assert!(output.status.success(), "verify failed:\n{stdout}\n{stderr}");
    for app in ["express", "fastapi"] {
        let row = stdout.lines().find(|l| l.contains(&format!(" {app} "))).unwrap_or_else(|| panic!("no row for {app}: {stdout}"));
        assert!(row.contains("verified"), "{row}");
    }
    assert_eq!(labelled().await, before, "verify left containers behind");
}

#[tokio::test]
async fn broken_copies_of_an_app_are_caught() {
    let _lock = docker_lock();
    let scratch = tempfile::tempdir().unwrap();
    let apps = scratch.path().join("apps");
    let original = repo_root().join("apps/fastapi");
    broken_copy(&original, &apps.join("broken-tax"), "app/orders.py", "(subtotal_cents * 825 + 5000) // 10000", "(subtotal_cents * 825) // 10000");
    broken_copy(&original, &apps.join("broken-locks"), "app/orders.py", "FOR NO KEY UPDATE OF p", "");
    let own_ids = "request_id = incoming if REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())";
    broken_copy(&original, &apps.join("broken-ids"), "app/access_log.py", own_ids, "request_id = str(uuid.uuid4())");
    let config = scratch.path().join("bakeoff.yaml");
    let paths = format!("paths:\n  apps_dir: {}\n  results_dir: {}\n", apps.display(), scratch.path().join("results").display());
    std::fs::write(&config, paths).unwrap();

    let (output, stdout, stderr) = run(&["verify", "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "broken apps passed verify:\n{stdout}\n{stderr}");
    let row = |app: &str| stdout.lines().find(|l| l.contains(&format!(" {app} "))).unwrap_or_default().to_string();
    let cells = |row: String| row.split('│').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let header = cells(stdout.lines().find(|l| l.contains("│ app ")).unwrap_or_default().to_string());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    let tax = cells(row("broken-tax"));
    assert!(tax[col("checkout")].starts_with("FAIL"), "tax rounded down not caught by checkout: {tax:?}");
    assert!(tax[col("setup")].starts_with("pass") && tax[col("basics")].starts_with("pass") && tax[col("search")].starts_with("pass"), "{tax:?}");
    let locks = cells(row("broken-locks"));
    assert!(locks[col("concurrency")].starts_with("FAIL"), "missing row locks not caught by concurrency: {locks:?}");
    let ids = cells(row("broken-ids"));
    assert!(
        ids[col("observability")].starts_with("FAIL") && ids[col("basics")].starts_with("pass"),
        "ignored request ids not caught by observability: {ids:?}"
    );
    let saved = scratch.path().join("results");
    let run_dir = std::fs::read_dir(&saved).unwrap().next().unwrap().unwrap().path();
    let pairs = std::fs::read_to_string(run_dir.join("broken-tax.json")).unwrap();
    assert!(pairs.contains("\"request_body\"") && pairs.contains("tax_cents"), "failing pairs not saved: {pairs}");
}

/// Copies the app folder to `to`, renames its id, and replaces `from` by `into` in `file`.
fn broken_copy(original: &Path, to: &Path, file: &str, from: &str, into: &str) {
    copy_dir(original, to);
    let id = to.file_name().unwrap().to_str().unwrap();
    let manifest = to.join("app.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace("id: fastapi", &format!("id: {id}"));
    std::fs::write(&manifest, text).unwrap();
    let source = to.join(file);
    let text = std::fs::read_to_string(&source).unwrap();
    assert!(text.contains(from), "{file} no longer contains {from:?}; update this test");
    std::fs::write(&source, text.replace(from, into)).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
