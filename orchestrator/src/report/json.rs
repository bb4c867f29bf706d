//! `run.json`: the whole results document.

use super::Exporter;
use crate::collect::RunResults;

pub struct Json;

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
