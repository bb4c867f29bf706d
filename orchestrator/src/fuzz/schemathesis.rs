//! The schemathesis CLI: where it is, the one command line `bakeoff fuzz` runs, and the JSON
//! report it writes (only the fields read here).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::{Deserialize, Serialize};

use crate::config::FuzzConfig;

/// Overrides `fuzz.schemathesis`.
pub const ENV_VAR: &str = "BAKEOFF_SCHEMATHESIS";

/// Why schemathesis could not be run.
#[derive(Debug, thiserror::Error)]
pub enum SchemathesisError {
    #[error("schemathesis not found at {0}: run scripts/test (it creates target/schemathesis-venv), or install it yourself (`python3 -m venv target/schemathesis-venv && target/schemathesis-venv/bin/pip install schemathesis==4.32.5`) and point fuzz.schemathesis or {ENV_VAR} at it")]
    Missing(PathBuf),
    #[error("could not run {path}: {source}")]
    Spawn { path: PathBuf, source: std::io::Error },
    #[error("schemathesis wrote no readable report at {path} (exit status {status}): {detail}\n{output}")]
    NoReport { path: PathBuf, status: i32, detail: String, output: String },
}

/// The executable: `BAKEOFF_SCHEMATHESIS`, else `fuzz.schemathesis`; it must exist.
pub fn locate(config: &FuzzConfig) -> Result<PathBuf, SchemathesisError> {
    existing(std::env::var_os(ENV_VAR).map(PathBuf::from).unwrap_or_else(|| config.schemathesis.clone()))
}

fn existing(path: PathBuf) -> Result<PathBuf, SchemathesisError> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(SchemathesisError::Missing(path))
    }
}

/// The arguments of one run against `base_url`: every phase and a fixed seed. Every check runs
/// (schemathesis's default); `--checks all` is not passed because a check named on the command
/// line overrides the per-operation settings of `schemathesis.toml`.
pub fn arguments(config: &FuzzConfig, base_url: &str, report: &Path) -> Vec<String> {
    let args = [
        "--no-color".to_string(),
        format!("--config-file={}", config.settings.display()),
        "run".into(),
        config.schema.display().to_string(),
        format!("--url={base_url}"),
        "--phases=examples,coverage,fuzzing,stateful".into(),
        format!("--seed={}", config.seed),
        format!("--max-examples={}", config.max_examples),
        "--workers=1".into(),
        "--report=json".into(),
        format!("--report-json-path={}", report.display()),
    ];
    args.to_vec()
}

/// What one run found, from schemathesis's JSON report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// schemathesis's exit code: 0 only when nothing failed.
    pub exit_code: i32,
    /// Seconds the run took.
    pub running_time: f64,
    pub operations: Option<Operations>,
    pub test_cases: TestCases,
    /// One entry per kind of failure, with the operations that showed it.
    pub failures: Vec<FailureGroup>,
    /// Errors that stopped a test (unreachable app, schema problems).
    pub errors: Vec<ErrorGroup>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operations {
    pub tested: u32,
    pub errored: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestCases {
    pub generated: u64,
    pub unique_failures: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailureGroup {
    pub title: String,
    pub count: u64,
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorGroup {
    pub title: String,
    pub count: u64,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.exit_code == 0 && self.failures.is_empty() && self.errors.is_empty()
    }
}

/// Runs schemathesis; returns its report and everything it printed (the failures with a curl
/// line each to reproduce them).
pub async fn run(executable: &Path, args: &[String], report: &Path) -> Result<(Report, String), SchemathesisError> {
    let output = tokio::process::Command::new(executable)
        .args(args)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|source| SchemathesisError::Spawn { path: executable.to_path_buf(), source })?;
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let status = output.status.code().unwrap_or(-1);
    let no_report = |detail: String| SchemathesisError::NoReport { path: report.to_path_buf(), status, detail, output: tail(&printed) };
    let text = std::fs::read_to_string(report).map_err(|e| no_report(e.to_string()))?;
    let parsed = serde_json::from_str(&text).map_err(|e| no_report(e.to_string()))?;
    Ok((parsed, printed))
}

/// The last lines of what schemathesis printed, for an error message.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn a_missing_executable_names_the_command_that_installs_it() {
        let error = existing("/nowhere/schemathesis".into()).unwrap_err().to_string();
        assert!(error.contains("/nowhere/schemathesis") && error.contains("scripts/test") && error.contains(ENV_VAR), "{error}");
    }

    #[test]
    fn the_command_runs_every_phase_with_the_fixed_seed_and_leaves_checks_to_the_settings() {
        let fuzz = Config::defaults().fuzz;
        let args = arguments(&fuzz, "http://127.0.0.1:1234", Path::new("r.json")).join(" ");
        assert!(!args.contains("--checks"), "a check named on the command line overrides schemathesis.toml: {args}");
        for part in ["--phases=examples,coverage,fuzzing,stateful", "--seed=12", "--max-examples=100", "--url=http://127.0.0.1:1234"] {
            assert!(args.contains(part), "{part} missing: {args}");
        }
        assert!(args.starts_with("--no-color --config-file=apps/contract/schemathesis.toml run apps/contract/openapi.yaml"), "{args}");
    }

    #[test]
    fn a_report_with_a_failure_does_not_pass() {
        let text = r#"{"exit_code": 1, "running_time": 3.5, "operations": {"tested": 8, "errored": 0, "total": 8},
            "test_cases": {"generated": 900, "unique_failures": 1},
            "failures": [{"type": "x", "code": "y", "title": "Server error", "severity": "critical", "count": 1, "operations": ["GET /health"]}],
            "errors": []}"#;
        let report: Report = serde_json::from_str(text).unwrap();
        assert!(!report.passed());
        assert_eq!(report.failures[0].operations, ["GET /health"]);
    }
}
