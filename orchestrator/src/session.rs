//! A session: one command invocation with its own run id. Whatever it creates carries that id
//! and is removed on failure and on Ctrl-C / SIGTERM (and on success unless the command keeps it).

use std::future::Future;

use anyhow::Result;

use crate::docker::{Engine, Scope};

/// How a command that creates things ended.
pub enum Ending<T> {
    Finished(Result<T>),
    Interrupted,
}

/// A fresh run id: 8 hex characters.
pub fn new_run_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// Runs `work`; removes the session's objects if it fails or is interrupted, and also on
/// success unless `keep_on_success`.
pub async fn guarded<T>(engine: &Engine, keep_on_success: bool, work: impl Future<Output = Result<T>>) -> Ending<T> {
    let ending = tokio::select! {
        result = work => Ending::Finished(result),
        _ = interrupted() => Ending::Interrupted,
    };
    let keep = keep_on_success && matches!(ending, Ending::Finished(Ok(_)));
    if !keep {
        clean_up(engine).await;
    }
    ending
}

async fn clean_up(engine: &Engine) {
    match engine.remove(&Scope::Run(engine.run_id().to_string())).await {
        Ok(removed) if removed.containers + removed.networks + removed.volumes > 0 => {
            eprintln!("  cleaned up: {} container(s), {} network(s), {} volume(s)", removed.containers, removed.networks, removed.volumes)
        }
        Ok(_) => {}
        Err(e) => eprintln!("  clean-up failed: {e}"),
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn interrupted() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    eprintln!("\ninterrupted: removing what this session created");
}
