//! `bakeoff fuzz`: schemathesis against each app, started exactly as `verify` starts it (same
//! seeded database, same limits), with every check, a fixed seed and stateful runs through the
//! OpenAPI links. A new app that breaks the contract is caught here without a new check.

pub mod schemathesis;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::config::Config;
use crate::docker::Engine;
use crate::images::{self, apps::AppManifest};
use crate::progress::Step;
use crate::stack::Stack;
use crate::verify;

pub use schemathesis::Report;

/// One app's fuzz run.
#[derive(Debug, Clone, Serialize)]
pub struct AppFuzz {
    pub app: String,
    /// Why the app was not fuzzed (build or start failed).
    pub error: Option<String>,
    pub report: Option<Report>,
    /// What schemathesis printed: each failure with a curl line to reproduce it.
    pub output_file: Option<PathBuf>,
}

impl AppFuzz {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.report.as_ref().is_some_and(Report::passed)
    }
}

/// Fuzzes `apps` one after another against one seeded database; writes what schemathesis printed
/// for each app under `results/fuzz-<run>/`.
pub async fn fuzz(engine: &Engine, config: &Config, apps: &[AppManifest]) -> Result<(Vec<AppFuzz>, PathBuf)> {
    let executable = schemathesis::locate(&config.fuzz)?;
    let (stack, _db) = verify::seeded_stack(engine, config).await?;
    let out_dir = config.paths.results_dir.join(format!("fuzz-{}", engine.run_id()));
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut outcomes = Vec::new();
    for app in apps {
        outcomes.push(fuzz_app(engine, config, &stack, app, &executable, &out_dir).await);
    }
    Ok((outcomes, out_dir))
}

async fn fuzz_app(engine: &Engine, config: &Config, stack: &Stack, app: &AppManifest, executable: &Path, out_dir: &Path) -> AppFuzz {
    let mut outcome = AppFuzz { app: app.id.clone(), error: None, report: None, output_file: None };
    if let Err(e) = images::apps::build_app(engine, app).await {
        outcome.error = Some(format!("build failed: {e}"));
        return outcome;
    }
    let running = match verify::start_app(engine, config, stack, app).await {
        Ok(running) => running,
        Err(e) => {
            outcome.error = Some(format!("{e:#}"));
            return outcome;
        }
    };
    let report_path = out_dir.join(format!("{}.json", app.id));
    let args = schemathesis::arguments(&config.fuzz, &format!("http://127.0.0.1:{}", running.port), &report_path);
    let step = Step::start(format!("schemathesis on {}", app.id));
    match schemathesis::run(executable, &args, &report_path).await {
        Ok((report, printed)) => {
            let path = out_dir.join(format!("{}.txt", app.id));
            let text = format!("{} {}\n\n{printed}", executable.display(), args.join(" "));
            outcome.output_file = std::fs::write(&path, text).ok().map(|_| path);
            step.done(if report.passed() { "no findings".to_string() } else { format!("{} finding(s)", report.failures.len() + report.errors.len()) });
            outcome.report = Some(report);
        }
        Err(e) => {
            step.done("schemathesis failed");
            outcome.error = Some(e.to_string());
        }
    }
    if let Err(e) = engine.remove_container(&running.container).await {
        eprintln!("  could not remove {}: {e}", app.id);
    }
    outcome
}
