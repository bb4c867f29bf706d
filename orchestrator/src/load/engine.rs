//! The generator: one single-threaded tokio runtime per load core, each owning its connections
//! and its measurements; merged at the end. No lock is taken per request.

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::conn::{Fail, Pool};
use super::schedule::Schedule;
use super::stats::Recorder;
use super::workload::{Action, Workload};
use crate::seed::rng::Draw;

/// How the generator runs.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Load threads (one runtime each).
    pub workers: usize,
    /// CPUs the load threads are pinned to (round robin); empty: not pinned.
    pub cpus: Vec<usize>,
    /// Most connections (= requests in flight) across all workers.
    pub connections: usize,
    /// Most requests waiting for a connection, per worker, before new arrivals are dropped.
    pub queue_bound: usize,
    /// A request (or a checkout funnel) not answered within this counts as a timeout.
    pub timeout: Duration,
    /// Seed of the workload draws.
    pub seed: u64,
    /// Prefix making idempotency keys unique to this run.
    pub key_prefix: String,
}

/// Open model: runs `schedule` against `addr`; returns the merged measurements.
pub fn run_open(addr: SocketAddr, schedule: Arc<Schedule>, workload: Arc<Workload>, config: &EngineConfig) -> Recorder {
    let start = Instant::now() + Duration::from_millis(50);
    spawn_workers(config, move |k, shared| {
        let (schedule, workload) = (schedule.clone(), workload.clone());
        open_worker(k, addr, schedule, workload, shared, start)
    })
}

/// Closed loop: `config.connections` connections send the workload back to back for `duration`.
pub fn run_closed(addr: SocketAddr, duration: Duration, workload: Arc<Workload>, config: &EngineConfig) -> Recorder {
    let start = Instant::now() + Duration::from_millis(50);
    spawn_workers(config, move |k, shared| closed_worker(k, addr, workload.clone(), shared, start, duration))
}

/// What every worker needs to know.
#[derive(Clone)]
struct Shared {
    workers: usize,
    connections: usize,
    queue_bound: usize,
    timeout: Duration,
    seed: u64,
    key_prefix: String,
}

fn spawn_workers<F, Fut>(config: &EngineConfig, make: F) -> Recorder
where
    F: Fn(usize, Shared) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = Recorder> + 'static,
{
    let shared = Shared {
        workers: config.workers.max(1),
        connections: (config.connections / config.workers.max(1)).max(1),
        queue_bound: config.queue_bound,
        timeout: config.timeout,
        seed: config.seed,
        key_prefix: config.key_prefix.clone(),
    };
    let threads: Vec<_> = (0..shared.workers)
        .map(|k| {
            let (make, shared, cpu) = (make.clone(), shared.clone(), config.cpus.get(k % config.cpus.len().max(1)).copied());
            std::thread::Builder::new()
                .name(format!("load-{k}"))
                .spawn(move || {
                    if let Some(id) = cpu {
                        core_affinity::set_for_current(core_affinity::CoreId { id });
                    }
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
                    tokio::task::LocalSet::new().block_on(&runtime, make(k, shared))
                })
                .expect("a load thread")
        })
        .collect();
    let mut merged = Recorder::default();
    for thread in threads {
        merged.merge(&thread.join().expect("load thread finished"));
    }
    merged
}

/// Sleeps to just before `deadline`, then spins (yielding to this runtime's other tasks and to
/// the OS) until it passes: tokio's timer alone is only good to about a millisecond.
async fn pace_until(deadline: Instant) {
    const SPIN: Duration = Duration::from_micros(1_500);
    if let Some(long) = deadline.checked_duration_since(Instant::now() + SPIN) {
        tokio::time::sleep(long).await;
    }
    while Instant::now() < deadline {
        tokio::task::yield_now().await;
        std::thread::yield_now();
    }
}

async fn open_worker(k: usize, addr: SocketAddr, schedule: Arc<Schedule>, workload: Arc<Workload>, shared: Shared, start: Instant) -> Recorder {
    let recorder = Rc::new(RefCell::new(Recorder::default()));
    let pool = Rc::new(Pool::new(addr));
    let permits = Rc::new(Semaphore::new(shared.connections));
    let waiting = Rc::new(Cell::new(0usize));
    let end = start + schedule.duration();
    let mut draw = Draw::new(shared.seed, 1_000 + k as u64);
    let mut tasks = JoinSet::new();
    let mut i = k as u64;
    while let Some(offset) = schedule.at(i) {
        let intended = start + offset;
        // Drawn while waiting for the deadline, so that its cost never counts as lag.
        let action = workload.action(&mut draw, || format!("{}-{i}", shared.key_prefix));
        pace_until(intended).await;
        {
            let mut r = recorder.borrow_mut();
            r.lag(Instant::now().saturating_duration_since(intended));
            r.dispatched += 1;
            if waiting.get() >= shared.queue_bound {
                r.drop_waited(end.saturating_duration_since(intended));
                i += shared.workers as u64;
                continue;
            }
        }
        waiting.set(waiting.get() + 1);
        let (recorder, pool, permits, waiting) = (recorder.clone(), pool.clone(), permits.clone(), waiting.clone());
        tasks.spawn_local(async move {
            let _permit = permits.acquire().await.expect("open semaphore");
            waiting.set(waiting.get() - 1);
            if Instant::now() <= end {
                recorder.borrow_mut().sent_in_window += 1;
            }
            perform(&pool, &recorder, action, intended, start, shared.timeout).await;
        });
        while tasks.try_join_next().is_some() {}
        i += shared.workers as u64;
    }
    while tasks.join_next().await.is_some() {}
    Rc::try_unwrap(recorder).map(RefCell::into_inner).unwrap_or_default()
}

async fn closed_worker(k: usize, addr: SocketAddr, workload: Arc<Workload>, shared: Shared, start: Instant, duration: Duration) -> Recorder {
    let recorder = Rc::new(RefCell::new(Recorder::default()));
    let pool = Rc::new(Pool::new(addr));
    let end = start + duration;
    let mut tasks = JoinSet::new();
    for c in 0..shared.connections {
        let (recorder, pool, workload, prefix) = (recorder.clone(), pool.clone(), workload.clone(), shared.key_prefix.clone());
        let mut draw = Draw::new(shared.seed, 1_000_000 + (k * 10_000 + c) as u64);
        tasks.spawn_local(async move {
            tokio::time::sleep_until(start.into()).await;
            let mut n = 0u64;
            while Instant::now() < end {
                let action = workload.action(&mut draw, || format!("{prefix}-{k}-{c}-{n}"));
                let now = Instant::now();
                {
                    let mut r = recorder.borrow_mut();
                    r.dispatched += 1;
                    r.sent_in_window += 1;
                }
                perform(&pool, &recorder, action, now, start, shared.timeout).await;
                n += 1;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    Rc::try_unwrap(recorder).map(RefCell::into_inner).unwrap_or_default()
}

/// Carries out one arrival's action and records it against its intended start.
async fn perform(pool: &Pool, recorder: &RefCell<Recorder>, action: Action, intended: Instant, start: Instant, timeout: Duration) {
    let sent = Instant::now();
    let outcome = tokio::time::timeout(timeout, carry_out(pool, &action)).await;
    let done = Instant::now();
    let mut r = recorder.borrow_mut();
    let second = done.saturating_duration_since(start).as_secs() as usize;
    match outcome {
        Err(_) => {
            r.error("timeout");
            r.response_us.saturating_record(done.saturating_duration_since(intended).as_micros().max(1) as u64);
        }
        Ok(Err(fail)) => r.error(fail.class()),
        Ok(Ok(Verdict::Ok)) => r.answered(done - intended, done - sent, second),
        Ok(Ok(Verdict::Conflict)) => {
            r.expected_conflicts += 1;
            r.answered(done - intended, done - sent, second);
        }
        Ok(Ok(Verdict::Status(status))) => {
            r.answered(done - intended, done - sent, second);
            r.error(&status_class(status));
        }
        Ok(Ok(Verdict::BadBody)) => {
            r.answered(done - intended, done - sent, second);
            r.error("body");
        }
    }
}

enum Verdict {
    Ok,
    /// A 409 the workload expects (stock ran out, cart already checked out).
    Conflict,
    Status(u16),
    BadBody,
}

fn status_class(status: u16) -> String {
    if status >= 500 {
        "status_5xx".into()
    } else {
        format!("status_{status}")
    }
}

async fn carry_out(pool: &Pool, action: &Action) -> Result<Verdict, Fail> {
    match action {
        Action::Get(path) => Ok(judge(&pool.exchange("GET", path, None, None).await?, false)),
        Action::AddToCart(lines) => add_to_cart(pool, lines).await.map(|(v, _)| v),
        Action::Checkout(lines, key) => {
            let (verdict, cart) = add_to_cart(pool, lines).await?;
            let Some(cart) = cart else { return Ok(verdict) };
            let body = Bytes::from(format!("{{\"cart_id\":\"{cart}\",\"email\":\"shopper@example.com\"}}"));
            Ok(judge(&pool.exchange("POST", "/checkout", Some(body), Some(key)).await?, true))
        }
    }
}

/// Creates a cart and fills it; the verdict of the first failing step, and the cart id.
async fn add_to_cart(pool: &Pool, lines: &[(u32, u32)]) -> Result<(Verdict, Option<String>), Fail> {
    let created = pool.exchange("POST", "/carts", Some(Bytes::from_static(b"{}")), None).await?;
    let id = serde_json::from_slice::<serde_json::Value>(&created.body).ok().and_then(|v| v["id"].as_str().map(str::to_string));
    let Some(id) = id.filter(|_| created.status == 201) else { return Ok((judge(&created, false), None)) };
    for (product, quantity) in lines {
        let body = Bytes::from(format!("{{\"product_id\":{product},\"quantity\":{quantity}}}"));
        let added = pool.exchange("POST", &format!("/carts/{id}/items"), Some(body), None).await?;
        match judge(&added, false) {
            Verdict::Ok => {}
            other => return Ok((other, None)),
        }
    }
    Ok((Verdict::Ok, Some(id)))
}

fn judge(answer: &super::conn::Answer, conflicts_expected: bool) -> Verdict {
    match answer.status {
        200 | 201 if answer.body.first() == Some(&b'{') => Verdict::Ok,
        200 | 201 => Verdict::BadBody,
        409 if conflicts_expected => Verdict::Conflict,
        status => Verdict::Status(status),
    }
}
