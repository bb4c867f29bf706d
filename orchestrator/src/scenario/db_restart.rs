//! **db-restart** — checkout funnels at a steady rate while PostgreSQL is restarted in the
//! middle of the phase: the errors the restart caused, how long until the app acknowledged a
//! checkout again on its own (its pool reconnecting), and afterwards, in the database, whether
//! every order the app acknowledged exists with its lines and stock moved by exactly what the
//! phase's orders took. One acknowledged order lost fails the app's row.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Bench, Phase, Scenario};
use crate::collect::{AppResult, WorkloadResult};
use crate::config::{Config, DbRestartConfig};
use crate::load::stats::AckedOrder;
use crate::load::{Profile, WorkloadKind};
use crate::progress::Step;
use crate::run::Plan;

/// Examples of lost orders and stock mismatches kept in the result, at most.
const EXAMPLES: usize = 5;

pub struct DbRestart;

/// What restarting the database under checkout load did to one app.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DbRestartResult {
    /// Checkout funnels per second.
    pub rps: f64,
    pub duration_s: f64,
    /// When the restart was asked for, in seconds after the phase was launched (the generator's
    /// own start follows the launch by about 50 ms).
    pub restart_at_s: f64,
    /// How long the engine's restart took (PostgreSQL's fast shutdown, then its start).
    pub restart_took_s: f64,
    /// Funnels due in the phase.
    pub requests: u64,
    /// Funnels that failed, in total and by class (a 409 out of stock is not a failure).
    pub errors: u64,
    pub errors_by_class: BTreeMap<String, u64>,
    /// Failed funnels per second of the phase, by the second they were due in.
    pub errors_per_second: Vec<u64>,
    /// Seconds from the restart until the app acknowledged a checkout that started after the
    /// restart was asked for, once the engine had started the database again; null: it never
    /// did within the phase.
    pub recovered_after_s: Option<f64>,
    /// Orders the app acknowledged (201, or the 200 of a replayed Idempotency-Key).
    pub acknowledged_orders: u64,
    /// … of which the database holds with exactly the acknowledged lines.
    pub orders_found: u64,
    /// Orders committed during the phase that the app never acknowledged (the client saw an
    /// error or a timeout): not a loss, and their stock is accounted for.
    pub unacknowledged_orders: u64,
    /// Acknowledged orders missing from the database or with other lines.
    pub lost_orders: u64,
    pub lost_order_examples: Vec<LostOrder>,
    /// Products whose stock did not move by exactly the quantities of the phase's orders.
    pub stock_mismatches: u64,
    pub stock_mismatch_examples: Vec<StockMismatch>,
    /// At least one order acknowledged (else nothing was checked), none lost, no stock mismatch.
    pub passed: bool,
    /// The whole phase as a row (PostgreSQL's resources cover only the time before the restart).
    pub phase: WorkloadResult,
}

/// An acknowledged order the database does not hold as acknowledged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LostOrder {
    /// The order id the app answered with.
    pub id: String,
    /// `missing`, or how its lines differ.
    pub why: String,
}

/// A product whose stock moved by something else than what the phase's orders took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StockMismatch {
    pub product_id: u32,
    /// Stock before the phase minus stock after it.
    pub moved: i64,
    /// Sum of the quantities of this product in the orders committed during the phase.
    pub ordered: i64,
}

/// What the database check found (see [`check`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    pub found: u64,
    pub lost: Vec<LostOrder>,
    pub unacknowledged: u64,
    pub stock_mismatches: Vec<StockMismatch>,
}

/// Lines by product: `(product_id, quantity)` pairs summed per product.
pub type Lines = BTreeMap<u32, i64>;

/// Compares what the app acknowledged with what the database holds: `orders` are the orders
/// committed during the phase (id → lines), `stock_before`/`stock_after` the products' stock
/// around it. An acknowledged order is lost when it is not among `orders` or its lines differ;
/// stock must have moved by exactly the quantities of `orders`, acknowledged or not.
pub fn check(acked: &[AckedOrder], orders: &BTreeMap<String, Lines>, stock_before: &BTreeMap<u32, i64>, stock_after: &BTreeMap<u32, i64>) -> Findings {
    let mut findings = Findings::default();
    for order in acked {
        let want = lines_of(&order.lines);
        match orders.get(&order.id) {
            None => findings.lost.push(LostOrder { id: order.id.clone(), why: "missing".into() }),
            Some(have) if *have != want => {
                findings.lost.push(LostOrder { id: order.id.clone(), why: format!("lines differ: acknowledged {want:?}, in the database {have:?}") })
            }
            Some(_) => findings.found += 1,
        }
    }
    let acked_ids: std::collections::BTreeSet<&str> = acked.iter().map(|o| o.id.as_str()).collect();
    findings.unacknowledged = orders.keys().filter(|id| !acked_ids.contains(id.as_str())).count() as u64;
    let mut ordered: BTreeMap<u32, i64> = BTreeMap::new();
    for (product, quantity) in orders.values().flatten() {
        *ordered.entry(*product).or_default() += quantity;
    }
    let products: std::collections::BTreeSet<u32> = stock_before.keys().chain(stock_after.keys()).chain(ordered.keys()).copied().collect();
    for product_id in products {
        let moved = stock_before.get(&product_id).copied().unwrap_or(0) - stock_after.get(&product_id).copied().unwrap_or(0);
        let ordered = ordered.get(&product_id).copied().unwrap_or(0);
        if moved != ordered {
            findings.stock_mismatches.push(StockMismatch { product_id, moved, ordered });
        }
    }
    findings
}

/// `(product, quantity)` pairs as lines by product (a product added twice is one line).
fn lines_of(pairs: &[(u32, u32)]) -> Lines {
    let mut lines = Lines::new();
    for &(product, quantity) in pairs {
        *lines.entry(product).or_default() += i64::from(quantity);
    }
    lines
}

/// Seconds from `asked` until the first acknowledgement of a funnel due at or after `asked`
/// that arrived once the database was started again (`back`); None when there is none.
pub fn recovered_after_s(acked: &[AckedOrder], asked: Instant, back: Instant) -> Option<f64> {
    acked.iter().filter(|o| o.due >= asked && o.acked >= back).map(|o| o.acked - asked).min().map(|d| d.as_secs_f64())
}

/// The phase's shape under `plan`: (total, restart at) seconds.
fn shape(c: &DbRestartConfig, plan: &Plan) -> (f64, f64) {
    if plan.quick {
        (c.quick_total_s, c.quick_restart_at_s)
    } else {
        (c.total_s, c.restart_at_s)
    }
}

impl Scenario for DbRestart {
    fn name(&self) -> &'static str {
        "db-restart"
    }

    fn expected_s(&self, config: &Config, plan: &Plan) -> f64 {
        shape(&config.run.scenarios.db_restart, plan).0 + 5.0
    }

    fn run<'a>(&'a self, bench: &'a Bench<'a>, result: &'a mut AppResult) -> LocalBoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let c = &bench.config.run.scenarios.db_restart;
            let (duration_s, restart_at_s) = shape(c, bench.plan);
            let db = bench.stack.connect().await?;
            let last_order: i64 = db.query_one("SELECT coalesce(max(id), 0) FROM orders", &[]).await?.get(0);
            let stock_before = stock(&db).await?;
            drop(db);
            // No warm-up: every order of the phase moves stock, and only the measured ones are kept.
            let phase = Phase {
                workload: WorkloadKind::Checkout,
                warmup: (c.rps, Duration::ZERO),
                profile: Profile::Constant { rps: c.rps, duration_s },
                // The label is part of each Idempotency-Key: letters, digits and dashes only.
                label: "db-restart".into(),
            };
            let restart = async {
                tokio::time::sleep(Duration::from_secs_f64(restart_at_s)).await;
                let asked = Instant::now();
                let restarted = bench.db_engine.restart_container(&bench.stack.postgres_container, Duration::from_secs(c.stop_timeout_s)).await;
                (asked, Instant::now(), restarted)
            };
            let (measured, (asked, back, restarted)) = tokio::join!(super::measure_with(bench, &phase, true), restart);
            restarted.context("the db-restart scenario could not restart PostgreSQL")?;
            let measured = measured?;
            let step = Step::start(format!("db-restart: checking {} acknowledged orders in the database", measured.recorder.orders.len()));
            let stack = bench.stack.after_restart(bench.db_engine, bench.config).await?;
            let db = stack.connect().await?;
            let orders = orders_since(&db, last_order).await?;
            let findings = check(&measured.recorder.orders, &orders, &stock_before, &stock(&db).await?);
            let (lost, mismatches) = (findings.lost.len() as u64, findings.stock_mismatches.len() as u64);
            step.done(if lost + mismatches == 0 { "none lost, stock exact".to_string() } else { format!("{lost} lost, {mismatches} stock mismatches") });
            let recorder = &measured.recorder;
            let errors_per_second = recorder.seconds.iter().map(|s| s.errors.values().sum()).collect();
            let recovered_after_s = recovered_after_s(&recorder.orders, asked, back);
            let acknowledged_orders = recorder.orders.len() as u64;
            let row = super::steady::write_files_as(bench, measured, "-db-restart")?;
            result.db_restart = Some(DbRestartResult {
                rps: c.rps,
                duration_s,
                restart_at_s,
                restart_took_s: (back - asked).as_secs_f64(),
                requests: row.load.asked,
                errors: row.load.errors.values().sum(),
                errors_by_class: row.load.errors.clone(),
                errors_per_second,
                recovered_after_s,
                acknowledged_orders,
                orders_found: findings.found,
                unacknowledged_orders: findings.unacknowledged,
                lost_orders: lost,
                lost_order_examples: findings.lost.into_iter().take(EXAMPLES).collect(),
                stock_mismatches: mismatches,
                stock_mismatch_examples: findings.stock_mismatches.into_iter().take(EXAMPLES).collect(),
                passed: acknowledged_orders > 0 && lost + mismatches == 0,
                phase: row,
            });
            Ok(())
        })
    }
}

/// Every product's stock.
async fn stock(db: &tokio_postgres::Client) -> Result<BTreeMap<u32, i64>> {
    let rows = db.query("SELECT id, stock FROM products", &[]).await.context("reading products.stock")?;
    Ok(rows.iter().map(|r| (r.get::<_, i32>(0) as u32, i64::from(r.get::<_, i32>(1)))).collect())
}

/// The orders with an id above `last` (committed during the phase), with their lines.
async fn orders_since(db: &tokio_postgres::Client, last: i64) -> Result<BTreeMap<String, Lines>> {
    let sql = "SELECT o.id, i.product_id, i.quantity FROM orders o LEFT JOIN order_items i ON i.order_id = o.id WHERE o.id > $1";
    let rows = db.query(sql, &[&last]).await.context("reading the phase's orders")?;
    let mut orders: BTreeMap<String, Lines> = BTreeMap::new();
    for row in rows {
        let lines = orders.entry(row.get::<_, i64>(0).to_string()).or_default();
        if let (Some(product), Some(quantity)) = (row.get::<_, Option<i32>>(1), row.get::<_, Option<i32>>(2)) {
            *lines.entry(product as u32).or_default() += i64::from(quantity);
        }
    }
    Ok(orders)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acked(id: &str, lines: &[(u32, u32)], due: Instant, acked: Instant) -> AckedOrder {
        AckedOrder { id: id.into(), lines: lines.to_vec(), due, acked }
    }

    fn order(id: &str, lines: &[(u32, i64)]) -> (String, Lines) {
        (id.into(), lines.iter().copied().collect())
    }

    #[test]
    fn an_order_acknowledged_but_never_committed_is_caught_as_lost() {
        let now = Instant::now();
        let acknowledged = [acked("1", &[(40, 1)], now, now), acked("2", &[(41, 2)], now, now)];
        // The database has order 1 only; stock moved by order 1 alone, consistent with it.
        let orders = BTreeMap::from([order("1", &[(40, 1)])]);
        let (before, after) = (BTreeMap::from([(40, 10), (41, 10)]), BTreeMap::from([(40, 9), (41, 10)]));
        let findings = check(&acknowledged, &orders, &before, &after);
        assert_eq!(findings.lost, [LostOrder { id: "2".into(), why: "missing".into() }]);
        assert_eq!((findings.found, findings.unacknowledged), (1, 0));
        assert!(findings.stock_mismatches.is_empty(), "{:?}", findings.stock_mismatches);
    }

    #[test]
    fn an_order_committed_with_other_lines_than_acknowledged_is_lost() {
        let now = Instant::now();
        // Product 40 added twice in the funnel is one line of 3 in the database: that is not a loss.
        let acknowledged = [acked("7", &[(40, 1), (40, 2)], now, now), acked("8", &[(41, 2), (42, 1)], now, now)];
        let orders = BTreeMap::from([order("7", &[(40, 3)]), order("8", &[(41, 2)])]);
        let (before, after) = (BTreeMap::from([(40, 10), (41, 10), (42, 5)]), BTreeMap::from([(40, 7), (41, 8), (42, 5)]));
        let findings = check(&acknowledged, &orders, &before, &after);
        assert_eq!(findings.found, 1);
        assert_eq!(findings.lost.len(), 1, "{:?}", findings.lost);
        assert_eq!(findings.lost[0].id, "8");
        assert!(findings.lost[0].why.starts_with("lines differ"), "{:?}", findings.lost[0]);
    }

    #[test]
    fn stock_must_move_by_exactly_the_committed_quantities_and_an_unacknowledged_commit_is_no_loss() {
        let now = Instant::now();
        let acknowledged = [acked("1", &[(40, 2)], now, now)];
        // Order 2 committed but its answer never arrived: counted, its stock expected to move.
        let orders = BTreeMap::from([order("1", &[(40, 2)]), order("2", &[(41, 1)])]);
        let before = BTreeMap::from([(40, 10), (41, 10), (42, 10)]);
        let exact = BTreeMap::from([(40, 8), (41, 9), (42, 10)]);
        let findings = check(&acknowledged, &orders, &before, &exact);
        assert_eq!((findings.found, findings.unacknowledged, findings.lost.len(), findings.stock_mismatches.len()), (1, 1, 0, 0));
        // Stock taken twice for product 40, and product 42 moved with no order.
        let wrong = BTreeMap::from([(40, 6), (41, 9), (42, 9)]);
        let mismatches = check(&acknowledged, &orders, &before, &wrong).stock_mismatches;
        assert_eq!(mismatches, [StockMismatch { product_id: 40, moved: 4, ordered: 2 }, StockMismatch { product_id: 42, moved: 1, ordered: 0 }]);
    }

    #[test]
    fn recovery_is_timed_from_the_restart_to_the_first_funnel_started_after_it_and_acknowledged_once_the_database_was_back() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let (asked, back) = (at(10_000), at(11_000));
        let acknowledged = [
            acked("1", &[], at(9_900), at(11_200)),  // started before the restart: not a sign of recovery
            acked("2", &[], at(10_050), at(10_080)), // acknowledged before the database was back
            acked("3", &[], at(10_500), at(13_500)),
            acked("4", &[], at(12_000), at(12_400)),
        ];
        assert_eq!(recovered_after_s(&acknowledged, asked, back), Some(2.4));
        assert_eq!(recovered_after_s(&acknowledged[..2], asked, back), None, "no funnel after the restart succeeded");
    }

    #[test]
    fn a_shop_that_acknowledges_checkouts_it_did_not_commit_is_caught_through_the_real_generator() {
        let (addr, shop) = forgetful::shop(5);
        let catalogue = crate::load::Catalogue { products: crate::seed::RESERVED_PRODUCTS + 40, ..Default::default() };
        let workload = std::sync::Arc::new(crate::load::Workload::new(WorkloadKind::Checkout, catalogue, Config::defaults().run.mix));
        let config = crate::load::EngineConfig {
            workers: 1,
            cpus: vec![],
            connections: 16,
            queue_bound: 1_000,
            timeout: Duration::from_secs(5),
            seed: 3,
            key_prefix: "forgetful".into(),
            realtime: false,
            idle_polling: false,
            keep_orders: true,
        };
        let mode = crate::load::Mode::Open(Profile::Constant { rps: 40.0, duration_s: 1.0 });
        let (summary, recorder) = crate::load::measure(addr, &mode, workload.clone(), &config).unwrap();
        assert_eq!((summary.asked, recorder.orders.len()), (40, 40), "every checkout acknowledged and kept; errors {:?}", summary.errors);
        let committed = shop.lock().unwrap().committed.clone();
        let findings = check(&recorder.orders, &committed, &BTreeMap::new(), &BTreeMap::new());
        let mut lost: Vec<u64> = findings.lost.iter().map(|l| l.id.parse().unwrap()).collect();
        lost.sort();
        assert_eq!(lost, [5, 10, 15, 20, 25, 30, 35, 40], "the orders the shop forgot, and only those");
        assert!(findings.lost.iter().all(|l| l.why == "missing"));
        assert_eq!(findings.found, 32);
        let unkept = crate::load::EngineConfig { keep_orders: false, key_prefix: "again".into(), ..config };
        let (_, recorder) = crate::load::measure(addr, &mode, workload, &unkept).unwrap();
        assert!(recorder.orders.is_empty(), "orders are kept only when asked");
    }

    /// A tiny HTTP/1.1 shop for the test above: carts, lines and checkouts in memory, every
    /// checkout answered 201 with a new order id, but every `n`-th order never committed.
    mod forgetful {
        use std::collections::HashMap;
        use std::io::{BufRead, BufReader, Read, Write};
        use std::net::{SocketAddr, TcpListener, TcpStream};
        use std::sync::{Arc, Mutex};

        use super::super::Lines;

        #[derive(Default)]
        pub struct Shop {
            carts: HashMap<String, Lines>,
            orders: u64,
            pub committed: std::collections::BTreeMap<String, Lines>,
        }

        pub fn shop(forget_every: u64) -> (SocketAddr, Arc<Mutex<Shop>>) {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let (addr, shop) = (listener.local_addr().unwrap(), Arc::new(Mutex::new(Shop::default())));
            let state = shop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let state = state.clone();
                    std::thread::spawn(move || serve(stream, &state, forget_every));
                }
            });
            (addr, shop)
        }

        fn serve(stream: TcpStream, shop: &Mutex<Shop>, forget_every: u64) {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).unwrap();
                    if header.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = header.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
                        length = value.trim().parse().unwrap_or_else(|_| panic!("{name}: {value}"));
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let (status, answer) = answer(&mut shop.lock().unwrap(), &path, &body, forget_every);
                let head = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", answer.len());
                writer.write_all(format!("{head}{answer}").as_bytes()).unwrap();
            }
        }

        fn answer(shop: &mut Shop, path: &str, body: &serde_json::Value, forget_every: u64) -> (&'static str, String) {
            if path == "/carts" {
                let id = format!("c{}", shop.carts.len() + 1);
                shop.carts.insert(id.clone(), Lines::new());
                return ("201 Created", format!("{{\"id\":\"{id}\"}}"));
            }
            if let Some(cart) = path.strip_prefix("/carts/").and_then(|p| p.strip_suffix("/items")) {
                let (product, quantity) = (body["product_id"].as_u64().unwrap() as u32, body["quantity"].as_i64().unwrap());
                *shop.carts.get_mut(cart).unwrap().entry(product).or_default() += quantity;
                return ("200 OK", format!("{{\"id\":\"{cart}\"}}"));
            }
            shop.orders += 1;
            let (id, lines) = (shop.orders, shop.carts[body["cart_id"].as_str().unwrap()].clone());
            if id % forget_every != 0 {
                shop.committed.insert(id.to_string(), lines);
            }
            ("201 Created", format!("{{\"id\":{id}}}"))
        }
    }
}
