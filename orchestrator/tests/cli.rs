//! The binary's behaviour that needs no engine: clear errors for bad input and no engine.

mod common;

use common::run;

#[test]
fn doctor_reports_a_missing_engine_and_fails() {
    let (output, stdout, _) = run(&["doctor", "--docker-host", "unix:///nonexistent/docker.sock"]);
    assert_eq!(output.status.code(), Some(1));
    let engine_line = stdout.lines().find(|l| l.contains("docker engine")).expect("an engine line");
    assert!(engine_line.contains("FAIL"), "{engine_line}");
    assert!(engine_line.contains("engine-up"), "no fix offered: {engine_line}");
    assert!(stdout.contains("cannot run here"), "{stdout}");
}

#[test]
fn a_product_count_out_of_range_is_a_clear_error() {
    let (output, _, stderr) = run(&["seed", "--products", "5"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("--products must be between 100 and"), "{stderr}");
}

#[test]
fn an_unknown_config_key_is_a_clear_error() {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), "postgres:\n  memroy_mb: 10\n").unwrap();
    let (output, _, stderr) = run(&["config", "--config", file.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("memroy_mb"), "{stderr}");
}

#[test]
fn config_prints_every_default() {
    let (output, stdout, _) = run(&["config"]);
    assert!(output.status.success());
    for key in ["base_tag", "debootstrap_mirror", "ca_dir", "memory_mb", "products", "seed"] {
        assert!(stdout.contains(key), "missing {key}: {stdout}");
    }
}

#[test]
fn new_writes_an_app_folder_that_apps_leaves_out_and_refuses_the_same_id_twice() {
    let root = tempfile::tempdir().unwrap();
    let apps = root.path().join("apps");
    std::fs::create_dir(&apps).unwrap();
    let config = root.path().join("config.yaml");
    std::fs::write(&config, format!("paths:\n  apps_dir: {}\n", apps.display())).unwrap();
    let config = config.to_str().unwrap();
    let (output, stdout, stderr) = run(&["--config", config, "new", "flask-probe", "--language", "python", "--framework", "Flask"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("bakeoff verify flask-probe"), "the checklist names the next command: {stdout}");
    let manifest = std::fs::read_to_string(apps.join("flask-probe/app.yaml")).unwrap();
    assert!(manifest.contains("name: Flask") && manifest.contains("CPython"), "{manifest}");
    let (output, stdout, stderr) = run(&["--config", config, "apps"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("left out") && stdout.contains("bakeoff verify flask-probe"), "{stdout}");
    let (output, _, stderr) = run(&["--config", config, "new", "flask-probe", "--language", "python"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
fn output_piped_into_a_reader_that_is_gone_ends_quietly_like_other_unix_tools() {
    let binary = env!("CARGO_BIN_EXE_bakeoff");
    // `true` exits at once; bakeoff writes its configuration after it, into a closed pipe.
    let script = format!("(sleep 0.3; '{binary}' config; echo \"exit $?\" >&2) | true");
    let output = std::process::Command::new("sh").arg("-c").arg(script).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert!(stderr.contains("exit 141"), "the exit code of a process whose reader went away: {stderr}");
}
