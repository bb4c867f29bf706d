//! `scripts/engine-up` against a real dockerd: a second engine beside the one the other tests use,
//! with its own socket, data root, exec root, pid file and bridge (tests/common/second_engine.rs).

mod common;

use std::path::Path;
use std::process::Command;

use common::second_engine::SecondEngine;

#[test]
fn an_engine_whose_network_store_a_killed_dockerd_left_broken_still_starts() {
    let second = SecondEngine::new("engine-up", "10.229.255.1/24");
    let store = second.root.join("data/network/files");
    std::fs::create_dir_all(&store).unwrap();
    // Docker 20.10's own store from a machine whose dockerd was killed mid-run: it panics in
    // libnetwork's reservePools on every start.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/engine/broken-network-store.db");
    std::fs::copy(fixture, store.join("local-kv.db")).unwrap();

    let output = second.engine_up("10.229.0.0/16", "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "engine-up failed:\n{stdout}\n{stderr}");
    assert!(stderr.contains("broken network store"), "engine-up did not say what it set aside: {stderr}");
    let aside: Vec<String> = std::fs::read_dir(&store).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(aside.iter().any(|name| name.starts_with("local-kv.db.broken-")), "the broken store was not kept beside: {aside:?}");
    let ping = Command::new("curl")
        .args(["-sf", "--max-time", "5", "--unix-socket"])
        .arg(second.root.join("docker.sock"))
        .arg("http://localhost/_ping")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&ping.stdout), "OK", "the second engine does not answer");

    let again = second.engine_up("10.229.0.0/16", "");
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already answers"), "a second call started another dockerd");
}
