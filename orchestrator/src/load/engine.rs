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

use super::conn::{Answer, Fail, Pool};
use super::pacer::{thread_cpu_time, IdlePolling, Pacer};
use super::schedule::Schedule;
use super::share::Share;
use super::stats::{AckedOrder, Failure, Recorder, ThreadUse};
use super::workload::{Action, Workload};
use super::LAG_BOUND;
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
    /// Run the load threads under SCHED_FIFO where the process may: a sleeping real-time thread
    /// wakes on time beside a CPU-bound neighbour (PostgreSQL) and, since it never spins, takes
    /// from it only the CPU its requests need.
    pub realtime: bool,
    /// While a real-time load thread runs, hold the kernel's CPU-latency QoS at 0 µs
    /// (`/dev/cpu_dma_latency`): idle CPUs poll instead of halting. On a host whose hypervisor
    /// then sees the virtual CPUs as always busy and preempts them, wake-ups come tens of
    /// milliseconds late — measure before turning it on (`bakeoff load --idle-polling`).
    pub idle_polling: bool,
    /// Keep every acknowledged order (its id and lines) in the recorder, for a check against the
    /// database afterwards; off, the generator pays nothing for it.
    pub keep_orders: bool,
}

/// Open model: runs `schedule` against `addr`; returns the merged measurements.
pub fn run_open(addr: SocketAddr, schedule: Arc<Schedule>, workload: Arc<Workload>, config: &EngineConfig) -> Recorder {
    run_share(addr, schedule, workload, config, Share::WHOLE, Instant::now() + Duration::from_millis(50))
}

/// Open model, one generator's part: sends `share` of `schedule` against `addr`, request `j` at
/// `start` + its offset in the schedule; returns the merged measurements of its load threads.
pub fn run_share(addr: SocketAddr, schedule: Arc<Schedule>, workload: Arc<Workload>, config: &EngineConfig, share: Share, start: Instant) -> Recorder {
    spawn_workers(config, move |k, shared| {
        let (schedule, workload) = (schedule.clone(), workload.clone());
        open_worker(k, addr, schedule, workload, shared, (share, start))
    })
}

/// Closed loop: `config.connections` connections send the workload back to back for `duration`.
pub fn run_closed(addr: SocketAddr, duration: Duration, workload: Arc<Workload>, config: &EngineConfig) -> Recorder {
    let start = Instant::now() + Duration::from_millis(50);
    spawn_workers(config, move |k, shared| closed_worker(k, addr, workload.clone(), shared, start, duration))
}

/// What every load thread needs to know.
#[derive(Clone)]
struct Shared {
    workers: usize,
    connections: usize,
    queue_bound: usize,
    timeout: Duration,
    seed: u64,
    key_prefix: String,
    realtime: bool,
    idle_polling: bool,
    keep_orders: bool,
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
        realtime: config.realtime,
        idle_polling: config.idle_polling,
        keep_orders: config.keep_orders,
    };
    let threads: Vec<_> = (0..shared.workers)
        .map(|k| {
            let (make, shared, cpu) = (make.clone(), shared.clone(), config.cpus.get(k % config.cpus.len().max(1)).copied());
            let (realtime, idle_polling) = (shared.realtime, shared.idle_polling);
            let thread = std::thread::Builder::new().name(format!("load-{k}"));
            thread.spawn(move || load_thread(cpu, realtime, idle_polling, make(k, shared))).expect("a load thread")
        })
        .collect();
    let mut merged = Recorder::default();
    for thread in threads {
        merged.merge(&thread.join().expect("load thread finished"));
    }
    merged
}

/// One load thread: pinned to `cpu`, real-time when asked and allowed (holding idle polling when
/// asked too), its own single-threaded runtime, its CPU time measured.
fn load_thread<Fut: std::future::Future<Output = Recorder>>(cpu: Option<usize>, realtime: bool, idle_polling: bool, work: Fut) -> Recorder {
    let pinned = cpu.is_none_or(|id| core_affinity::set_for_current(core_affinity::CoreId { id }));
    let realtime = realtime && become_realtime();
    let idle_polling = if realtime && idle_polling { IdlePolling::hold() } else { IdlePolling::none() };
    let (cpu_before, wall_before) = (thread_cpu_time(), Instant::now());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let mut recorder = tokio::task::LocalSet::new().block_on(&runtime, work);
    drop(runtime);
    recorder.threads.push(ThreadUse {
        cpu,
        pinned,
        realtime,
        idle_polling: idle_polling.held(),
        cpu_time_us: (thread_cpu_time() - cpu_before).as_micros() as u64,
        wall_time_us: wall_before.elapsed().as_micros() as u64,
    });
    recorder
}

/// Puts the calling thread under SCHED_FIFO at a low real-time priority; false where the process
/// may not (no CAP_SYS_NICE, no RT budget in its cgroup).
fn become_realtime() -> bool {
    use thread_priority::{RealtimeThreadSchedulePolicy, ThreadPriority, ThreadPriorityValue, ThreadSchedulePolicy};
    let Ok(priority) = ThreadPriorityValue::try_from(10u8) else { return false };
    let policy = ThreadSchedulePolicy::Realtime(RealtimeThreadSchedulePolicy::Fifo);
    thread_priority::set_thread_priority_and_policy(thread_priority::thread_native_id(), ThreadPriority::Crossplatform(priority), policy).is_ok()
}

/// A load thread's state, shared by its request tasks (single-threaded: no locks).
struct Worker {
    recorder: RefCell<Recorder>,
    pool: Pool,
    permits: Semaphore,
    waiting: Cell<usize>,
    timeout: Duration,
    /// End of the phase's schedule.
    end: Instant,
    /// End of the drain: nothing runs past it.
    drain_end: Instant,
    /// Keep acknowledged orders in the recorder.
    keep_orders: bool,
}

/// Load thread `k` of a generator: the `k`-th, `k + workers`-th, … requests of its share.
async fn open_worker(
    k: usize,
    addr: SocketAddr,
    schedule: Arc<Schedule>,
    workload: Arc<Workload>,
    shared: Shared,
    (share, start): (Share, Instant),
) -> Recorder {
    let end = start + schedule.duration();
    let worker = Rc::new(Worker {
        recorder: RefCell::new(Recorder::default()),
        pool: Pool::new(addr),
        permits: Semaphore::new(shared.connections),
        waiting: Cell::new(0),
        timeout: shared.timeout,
        end,
        drain_end: end + shared.timeout,
        keep_orders: shared.keep_orders,
    });
    let pacer = Pacer::new();
    let mut tasks = JoinSet::new();
    let mut m = k as u64;
    while let Some(offset) = schedule.at(share.request(m)) {
        let j = share.request(m);
        m += shared.workers as u64;
        let (intended, second) = (start + offset, offset.as_secs() as usize);
        // Drawn before waiting for the deadline, so that its cost never counts as lag.
        let action = workload.request(shared.seed, j, &shared.key_prefix);
        pacer.until(intended).await;
        let handed = Instant::now();
        worker.recorder.borrow_mut().due(second, handed - intended);
        if worker.waiting.get() >= shared.queue_bound {
            worker.recorder.borrow_mut().failed(second, Failure::Dropped, handed - intended, None);
            continue;
        }
        worker.waiting.set(worker.waiting.get() + 1);
        let outstanding = (worker.waiting.get() + shared.connections - worker.permits.available_permits()) as u64;
        let mut recorder = worker.recorder.borrow_mut();
        recorder.max_outstanding = recorder.max_outstanding.max(outstanding);
        drop(recorder);
        tasks.spawn_local(queued(worker.clone(), action, intended, second));
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    let worker = Rc::try_unwrap(worker).ok().expect("every request task finished");
    worker.recorder.into_inner()
}

/// One open-model arrival: waits for a free connection (at most until the drain ends, else it
/// is dropped with the time it really waited), then is carried out.
async fn queued(worker: Rc<Worker>, action: Action, intended: Instant, second: usize) {
    // Only a request that found every connection busy waits for one; the time a task takes to be
    // polled is the generator's, not the app's backlog.
    let (permit, wait) = match worker.permits.try_acquire() {
        Ok(permit) => (Ok(Ok(permit)), Duration::ZERO),
        Err(_) => {
            let asked = Instant::now();
            (tokio::time::timeout_at(worker.drain_end.into(), worker.permits.acquire()).await, asked.elapsed())
        }
    };
    worker.waiting.set(worker.waiting.get() - 1);
    let Ok(Ok(_permit)) = permit else {
        let waited = Instant::now() - intended;
        return worker.recorder.borrow_mut().failed(second, Failure::Dropped, waited, None);
    };
    perform(&worker, action, intended, wait, second).await;
}

async fn closed_worker(k: usize, addr: SocketAddr, workload: Arc<Workload>, shared: Shared, start: Instant, duration: Duration) -> Recorder {
    let end = start + duration;
    let worker = Rc::new(Worker {
        recorder: RefCell::new(Recorder::default()),
        pool: Pool::new(addr),
        permits: Semaphore::new(0),
        waiting: Cell::new(0),
        timeout: shared.timeout,
        end,
        drain_end: end + shared.timeout,
        keep_orders: shared.keep_orders,
    });
    let mut tasks = JoinSet::new();
    for c in 0..shared.connections {
        let (worker, workload, prefix) = (worker.clone(), workload.clone(), shared.key_prefix.clone());
        let mut draw = Draw::new(shared.seed, 1_000_000 + (k * 10_000 + c) as u64);
        tasks.spawn_local(async move {
            tokio::time::sleep_until(start.into()).await;
            let mut n = 0u64;
            while Instant::now() < end {
                let action = workload.action(&mut draw, || format!("{prefix}-{k}-{c}-{n}"));
                let now = Instant::now();
                let second = now.saturating_duration_since(start).as_secs() as usize;
                worker.recorder.borrow_mut().due(second, Duration::ZERO);
                perform(&worker, action, now, Duration::ZERO, second).await;
                n += 1;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let worker = Rc::try_unwrap(worker).ok().expect("every connection task finished");
    worker.recorder.into_inner()
}

/// Carries out one arrival's action (a connection is free) and records how it ended against its
/// intended start.
async fn perform(worker: &Worker, action: Action, intended: Instant, wait: Duration, second: usize) {
    let sent = Instant::now();
    worker.recorder.borrow_mut().sent(second, wait, sent - intended <= LAG_BOUND, wait > LAG_BOUND);
    let retries = Cell::new(0);
    let deadline = (sent + worker.timeout).min(worker.drain_end);
    let outcome = tokio::time::timeout_at(deadline.into(), carry_out(&worker.pool, &action, &retries)).await;
    let done = Instant::now();
    let mut r = worker.recorder.borrow_mut();
    r.retries += retries.get();
    let (since_intended, service) = (done - intended, done - sent);
    let verdict = match outcome {
        Err(_) => return r.failed(second, Failure::Timeout, since_intended, Some(service)),
        Ok(Err(fail)) => return r.failed(second, Failure::Class(fail.class()), since_intended, Some(service)),
        Ok(Ok(verdict)) => verdict,
    };
    r.answered(second, since_intended, service, done <= worker.end);
    match verdict {
        Verdict::Ok => r.ok(second),
        Verdict::Conflict => {
            r.expected_conflicts += 1;
            r.ok(second);
        }
        Verdict::Status(status) => r.error(second, &status_class(status)),
        Verdict::Contract => r.error(second, "contract"),
        Verdict::Ordered(id) => {
            r.ok(second);
            if let (true, Action::Checkout(lines, _)) = (worker.keep_orders, &action) {
                r.orders.push(AckedOrder { id, lines: lines.clone(), due: intended, acked: done });
            }
        }
    }
}

/// Carries out one action on `pool` outside any phase (a cold start's first search or checkout);
/// Ok when it ended as the workload expects, else how it ended.
pub(crate) async fn attempt(pool: &Pool, action: &Action) -> Result<(), String> {
    match carry_out(pool, action, &Cell::new(0)).await {
        Ok(Verdict::Ok | Verdict::Conflict | Verdict::Ordered(_)) => Ok(()),
        Ok(Verdict::Status(status)) => Err(format!("answered {status}")),
        Ok(Verdict::Contract) => Err("answered with a body that breaks the contract".into()),
        Err(fail) => Err(format!("failed ({})", fail.class())),
    }
}

/// How an answered arrival ended.
enum Verdict {
    Ok,
    /// A checkout answered with an order, and the order's id.
    Ordered(String),
    /// A 409 the workload expects (stock ran out, cart already checked out).
    Conflict,
    Status(u16),
    /// The expected status with a body that breaks the contract (a cart or order without `id`,
    /// an answer that is not a JSON object): an error, never a fast success.
    Contract,
}

fn status_class(status: u16) -> String {
    if status >= 500 {
        "status_5xx".into()
    } else {
        format!("status_{status}")
    }
}

/// One exchange, counting a resend on a fresh connection.
async fn exchange(pool: &Pool, retries: &Cell<u64>, method: &'static str, path: &str, body: Option<Bytes>, key: Option<&str>) -> Result<Answer, Fail> {
    let answer = pool.exchange(method, path, body, key).await?;
    retries.set(retries.get() + u64::from(answer.retried));
    Ok(answer)
}

async fn carry_out(pool: &Pool, action: &Action, retries: &Cell<u64>) -> Result<Verdict, Fail> {
    match action {
        Action::Get(path) => Ok(judge(&exchange(pool, retries, "GET", path, None, None).await?, false)),
        Action::AddToCart(lines) => add_to_cart(pool, lines, retries).await.map(|(v, _)| v),
        Action::Checkout(lines, key) => {
            let (verdict, cart) = add_to_cart(pool, lines, retries).await?;
            let Some(cart) = cart else { return Ok(verdict) };
            let body = Bytes::from(format!("{{\"cart_id\":\"{cart}\",\"email\":\"shopper@example.com\"}}"));
            let order = exchange(pool, retries, "POST", "/checkout", Some(body), Some(key)).await?;
            Ok(match (judge(&order, true), id_of(&order)) {
                (Verdict::Ok, Some(id)) => Verdict::Ordered(id),
                (Verdict::Ok, None) => Verdict::Contract,
                (other, _) => other,
            })
        }
    }
}

/// Creates a cart and fills it; the verdict of the first failing step, and the cart id. The
/// funnel stops at the first step that fails or breaks the contract.
async fn add_to_cart(pool: &Pool, lines: &[(u32, u32)], retries: &Cell<u64>) -> Result<(Verdict, Option<String>), Fail> {
    let created = exchange(pool, retries, "POST", "/carts", Some(Bytes::from_static(b"{}")), None).await?;
    let id = match judge(&created, false) {
        Verdict::Ok => match id_of(&created).filter(|_| created.status == 201) {
            Some(id) => id,
            None => return Ok((Verdict::Contract, None)),
        },
        other => return Ok((other, None)),
    };
    for (product, quantity) in lines {
        let body = Bytes::from(format!("{{\"product_id\":{product},\"quantity\":{quantity}}}"));
        let added = exchange(pool, retries, "POST", &format!("/carts/{id}/items"), Some(body), None).await?;
        match judge(&added, false) {
            Verdict::Ok => {}
            other => return Ok((other, None)),
        }
    }
    Ok((Verdict::Ok, Some(id)))
}

/// The `id` of a created cart or order, as the contract requires it (a string or a number).
fn id_of(answer: &Answer) -> Option<String> {
    let value = serde_json::from_slice::<serde_json::Value>(&answer.body).ok()?;
    match &value["id"] {
        serde_json::Value::String(id) if !id.is_empty() => Some(id.clone()),
        serde_json::Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

fn judge(answer: &Answer, conflicts_expected: bool) -> Verdict {
    match answer.status {
        200 | 201 if answer.body.first() == Some(&b'{') => Verdict::Ok,
        200 | 201 => Verdict::Contract,
        409 if conflicts_expected => Verdict::Conflict,
        status => Verdict::Status(status),
    }
}
