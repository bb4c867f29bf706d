//! A session: one command invocation with its own run id. Whatever it creates carries that id
//! and is removed on failure, on a panic, and on Ctrl-C / SIGTERM (and on success unless the
//! command keeps it). A second Ctrl-C during that clean-up exits at once, leaving things behind.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use anyhow::Result;
use futures_util::FutureExt;
use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::docker::{Engine, Scope};

/// The exit code of an interrupted command (128 + SIGINT).
pub const INTERRUPTED_EXIT_CODE: u8 = 130;

/// The exit code of a process whose output's reader went away (128 + SIGPIPE), as shells report it.
pub const BROKEN_PIPE_EXIT_CODE: u8 = 141;

/// Whether a panic is Rust's `print!` failing because stdout's reader went away (`bakeoff … | head`).
pub fn is_broken_pipe(payload: &(dyn std::any::Any + Send)) -> bool {
    let text = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or("");
    text.starts_with("failed printing to stdout") && text.contains("Broken pipe")
}

/// Keeps the default panic message for every panic but that one: a reader that stopped reading is
/// not an error. The panic still unwinds, so a session's clean-up runs (see [`guarded`]).
pub fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_broken_pipe(info.payload()) {
            default(info);
        }
    }));
}

/// Test hook: `BAKEOFF_PANIC_AFTER=<point>` makes the binary panic at that point (today only
/// `stack`: right after a session's PostgreSQL answers), so tests can prove a panic still removes
/// what the session created. Read here and nowhere else.
pub const PANIC_AFTER_ENV: &str = "BAKEOFF_PANIC_AFTER";

/// How a command that creates things ended.
pub enum Ending<T> {
    Finished(Result<T>),
    Interrupted,
}

/// A fresh run id: 8 hex characters.
pub fn new_run_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// Runs `work`; removes the session's objects if it fails, panics or is interrupted, and also on
/// success unless `keep_on_success`. A panic is re-raised after the clean-up.
pub async fn guarded<T>(engine: &Engine, keep_on_success: bool, work: impl Future<Output = Result<T>>) -> Ending<T> {
    guarded_all(std::slice::from_ref(engine), keep_on_success, work).await
}

/// [`guarded`] for a session whose objects are on several engines (roles on different hosts):
/// clean-up removes the session's objects on every one of `engines` (all bound to one run id).
pub async fn guarded_all<T>(engines: &[Engine], keep_on_success: bool, work: impl Future<Output = Result<T>>) -> Ending<T> {
    let engine = &engines[0];
    let mut signals = Signals::new();
    let outcome = tokio::select! {
        outcome = AssertUnwindSafe(work).catch_unwind() => outcome,
        _ = signals.next() => {
            eprintln!("\ninterrupted: removing what run {} created (Ctrl-C again exits at once, without clean-up)", engine.run_id());
            exit_on_second_signal(signals);
            clean_up(engines).await;
            return Ending::Interrupted;
        }
    };
    let ending = match outcome {
        Ok(result) => Ending::Finished(result),
        Err(panic) => {
            let why = if is_broken_pipe(&*panic) { "the reader of its output went away" } else { "bakeoff panicked" };
            eprintln!("{why}: removing what run {} created", engine.run_id());
            clean_up(engines).await;
            std::panic::resume_unwind(panic);
        }
    };
    if !(keep_on_success && matches!(ending, Ending::Finished(Ok(_)))) {
        clean_up(engines).await;
    }
    ending
}

/// A second Ctrl-C or SIGTERM while cleaning up ends the process at once.
fn exit_on_second_signal(mut signals: Signals) {
    tokio::spawn(async move {
        signals.next().await;
        eprintln!("interrupted again: exiting at once without clean-up (`bakeoff down` removes what is left)");
        std::process::exit(INTERRUPTED_EXIT_CODE.into());
    });
}

async fn clean_up(engines: &[Engine]) {
    for engine in engines {
        let on = if engines.len() > 1 { format!(" on {}", engine.host()) } else { String::new() };
        match engine.remove(&Scope::Run(engine.run_id().to_string())).await {
            Ok(removed) if removed.containers + removed.networks + removed.volumes > 0 => {
                eprintln!("  cleaned up{on}: {} container(s), {} network(s), {} volume(s)", removed.containers, removed.networks, removed.volumes)
            }
            Ok(_) => {}
            Err(e) => eprintln!("  clean-up failed{on}: {e}"),
        }
    }
}

/// Ctrl-C (SIGINT) and SIGTERM, listened to from creation on: a signal that arrives while
/// nobody awaits [`Signals::next`] is not lost.
struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    fn new() -> Signals {
        Signals { interrupt: signal(SignalKind::interrupt()).expect("SIGINT handler"), terminate: signal(SignalKind::terminate()).expect("SIGTERM handler") }
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn interrupted() {
    Signals::new().next().await;
    eprintln!("\ninterrupted");
}

/// Panics when [`PANIC_AFTER_ENV`] names `point` (a test hook; see there).
pub fn panic_if_asked(point: &str, run_id: &str) {
    if std::env::var(PANIC_AFTER_ENV).is_ok_and(|asked| asked == point) {
        panic!("{PANIC_AFTER_ENV}={point}: a deliberate panic in run {run_id} (test hook)");
    }
}
