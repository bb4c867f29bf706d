//! `--catalog FILE` against the real engine: the fixture files (tests/fixtures/) loaded into a
//! real PostgreSQL, and a failed load that changes nothing.

mod common;

use std::process::Command;

use bakeoff::docker::Removed;
use common::{bakeoff, docker_lock, labelled_by_run, remove_run, run, run_id_in};

fn fixture(name: &str) -> String {
    common::repo_root().join("orchestrator/tests/fixtures").join(name).display().to_string()
}

/// Runs bakeoff with `args` and extra environment.
fn run_with(env: &[(&str, &str)], args: &[&str]) -> (std::process::ExitStatus, String, String) {
    let mut command: Command = bakeoff();
    command.args(args).envs(env.iter().copied());
    let output = command.output().expect("bakeoff runs");
    (output.status, String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

async fn count(client: &tokio_postgres::Client, table: &str) -> i64 {
    client.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn a_catalogue_file_loads_exactly_and_a_failed_load_leaves_the_database_untouched() {
    let _lock = docker_lock();
    let (output, stdout, stderr) = run(&["up", "--products", "200", "--seed", "7"]);
    assert!(output.status.success(), "up failed: {stderr}");
    let run_id = run_id_in(&stdout).expect("up prints its run id");
    let url = stdout.lines().find_map(|l| l.trim().strip_prefix("from this host:")).unwrap().trim().to_string();
    let client = bakeoff::stack::connect(&url).await.expect("database answers");

    let (status, _, stderr) = run_with(&[], &["seed", "--catalog", &fixture("invalid-rows.csv"), "--database-url", &url, "--reset"]);
    assert!(!status.success());
    assert!(stderr.contains("invalid-rows.csv: 12 invalid row(s); the first 10:"), "{stderr}");
    assert_eq!((count(&client, "products").await, count(&client, "categories").await), (200, 295), "a refused file changes nothing");

    let failing = [("BAKEOFF_SEED_FAIL_BEFORE_COMMIT", "1")];
    let (status, _, stderr) = run_with(&failing, &["seed", "--catalog", &fixture("generic.csv"), "--database-url", &url, "--reset"]);
    assert!(!status.success() && stderr.contains("the load is rolled back"), "{stderr}");
    assert_eq!((count(&client, "products").await, count(&client, "categories").await), (200, 295), "a load that failed at its end changes nothing");

    let (status, stdout, stderr) = run_with(&[], &["seed", "--catalog", &fixture("generic.csv"), "--database-url", &url, "--reset"]);
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("seeded 40 products (7 categories, 3 brands) from generic.csv (csv)"), "{stdout}");
    assert_eq!(count(&client, "products").await, 40);
    let first = client.query_one("SELECT name, price_cents, stock, sku FROM products WHERE id = 1", &[]).await.unwrap();
    assert_eq!(
        (first.get::<_, String>(0), first.get::<_, i32>(1), first.get::<_, i32>(2), first.get::<_, String>(3)),
        ("Acme Steel Knife 1".into(), 207, 10, "G-001".into())
    );
    let tree = client.query("SELECT id, name, parent_id FROM categories ORDER BY id", &[]).await.unwrap();
    let tree: Vec<(i32, String, Option<i32>)> = tree.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    let expected = [
        (1, "Home", None),
        (2, "Kitchen", Some(1)),
        (3, "Knives", Some(2)),
        (4, "Cookware", Some(2)),
        (5, "Bath", Some(1)),
        (6, "Garden", None),
        (7, "Tools", Some(6)),
    ];
    assert_eq!(tree, expected.map(|(i, n, p)| (i, n.to_string(), p)));
    let reserved: i64 = client.query_one("SELECT count(*) FROM products WHERE id <= 32 AND stock = 10", &[]).await.unwrap().get(0);
    assert_eq!(reserved, 32);
    let search = "SELECT count(*) FROM products WHERE search_vector @@ websearch_to_tsquery('english', 'skillet')";
    assert_eq!(client.query_one(search, &[]).await.unwrap().get::<_, i64>(0), 10);

    let (status, stdout, stderr) = run_with(&[], &["seed", "--catalog", &fixture("shopify-products.csv"), "--skip-invalid", "--database-url", &url, "--reset"]);
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("skipped 1 invalid row(s) of shopify-products.csv:") && stderr.contains("shopify-products.csv:14: column 21 (Variant Price)"),
        "{stderr}"
    );
    assert!(stdout.contains("seeded 35 products (12 categories, 4 brands) from shopify-products.csv (shopify-csv)"), "{stdout}");
    let knife = client.query_one("SELECT name, price_cents, sku FROM products WHERE id = 2", &[]).await.unwrap();
    assert_eq!((knife.get::<_, String>(0), knife.get::<_, i32>(1), knife.get::<_, String>(2)), ("Chef's Knife - 8 inch".into(), 5950, "chef-knife-2".into()));
    drop(client);
    remove_run(&run_id).await;
    assert_eq!(labelled_by_run(&run_id).await, Removed::default());
}

#[test]
fn verify_refuses_a_catalogue_the_suite_cannot_run_on_before_starting_anything() {
    let (status, _, stderr) = run_with(&[], &["verify", "fastapi", "--catalog", &fixture("shopify-products.csv"), "--skip-invalid"]);
    assert!(!status.success());
    assert!(
        stderr.contains("shopify-products.csv cannot be verified: the conformance suite needs 1 product(s) after the first 32 with stock of at least 100"),
        "{stderr}"
    );
    assert!(!stderr.contains("==> "), "nothing started: {stderr}");
}

#[tokio::test]
async fn fastapi_passes_verify_on_a_catalogue_file() {
    let _lock = docker_lock();
    let (status, stdout, stderr) = run_with(&[], &["verify", "fastapi", "--catalog", &fixture("generic.csv")]);
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("seeding 40 products from generic.csv for verification"), "{stderr}");
    assert!(stdout.contains("│ fastapi │ pass"), "{stdout}");
}
