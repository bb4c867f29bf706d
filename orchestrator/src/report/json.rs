//! `run.json`: the whole results document, checked against its schema (generated from the
//! results types) before it is written: a document that does not fit is a bug, never a file.

use std::sync::OnceLock;

use serde_json::Value;

use super::Exporter;
use crate::collect::{schema, RunResults};

pub struct Json;

/// Results that do not fit run.json's schema (each problem: where, and what is wrong).
#[derive(Debug, thiserror::Error)]
#[error("run.json would not fit its schema, so no results were written: a bug in bakeoff, please report it with these lines:\n  {}", .problems.join("\n  "))]
pub struct InvalidResults {
    pub problems: Vec<String>,
}

/// Checks `results` as `run.json` would hold them.
pub fn check(results: &RunResults) -> Result<(), InvalidResults> {
    let document = serde_json::to_value(results).map_err(|e| InvalidResults { problems: vec![format!("does not serialise: {e}")] })?;
    check_document(&document)
}

/// Checks a `run.json` document against the schema.
pub fn check_document(document: &Value) -> Result<(), InvalidResults> {
    let problems: Vec<String> = validator().iter_errors(document).map(|e| format!("at {}: {e}", path_or_root(e.instance_path().as_str()))).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InvalidResults { problems })
    }
}

fn path_or_root(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(&schema::run_schema().to_value()).expect("the generated schema is a valid JSON Schema"))
}

impl Exporter for Json {
    fn file_name(&self) -> &'static str {
        "run.json"
    }

    fn export(&self, results: &RunResults) -> Vec<u8> {
        let mut text = serde_json::to_vec_pretty(results).expect("results serialise");
        text.push(b'\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small but complete run: one app, one measured workload.
    fn a_run() -> RunResults {
        crate::report::testing::results(vec![("fastapi", crate::report::testing::row(10, 5))])
    }

    #[test]
    fn results_that_cannot_be_represented_are_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut run = a_run();
        run.apps[0].workloads[0].load.response_time.mean_us = f64::NAN;
        assert!(super::super::write_all(dir.path(), &run, &Default::default()).is_err(), "a NaN mean was written as null into run.json");
        assert!(!dir.path().join("run.json").exists());
    }

    #[test]
    fn a_complete_run_fits_the_schema() {
        check(&a_run()).unwrap();
    }

    #[test]
    fn a_document_of_the_wrong_shape_is_refused_naming_where_and_what() {
        let mut document = serde_json::to_value(a_run()).unwrap();
        document["apps"][0]["workloads"][0]["load"]["answered"] = "many".into();
        document["apps"][0]["status"] = "pending".into();
        document["surprise"] = true.into();
        let problems = check_document(&document).unwrap_err().problems;
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems.iter().any(|p| p.starts_with("at /apps/0/workloads/0/load/answered: \"many\" is not of type \"integer\"")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.starts_with("at /apps/0/status: ") && p.contains("pending")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.starts_with("at /: ") && p.contains("surprise")), "{problems:#?}");
    }

    #[test]
    fn a_type_mismatch_from_the_rust_side_is_reported_as_a_bug_with_its_path() {
        let mut run = a_run();
        run.apps[0].workloads[0].load.response_time.mean_us = f64::NAN;
        let message = check(&run).unwrap_err().to_string();
        assert!(message.starts_with("run.json would not fit its schema, so no results were written: a bug in bakeoff"), "{message}");
        assert!(message.contains("at /apps/0/workloads/0/load/response_time/mean_us: null is not of type \"number\""), "{message}");
    }

    #[test]
    fn any_configuration_fits() {
        for config in [serde_json::Value::Null, serde_json::json!("text"), serde_json::json!({"run": {"rate": 1.5}})] {
            check(&RunResults { config, ..a_run() }).unwrap();
        }
    }
}
