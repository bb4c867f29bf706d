//! `--queries FILE`: a team's search log, one query per line, optionally `query<TAB>count`; the
//! search workload replays its distribution, weighted by count.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::seed::rng::Draw;

/// Most code points in `q` (apps/contract/openapi.yaml, `maxLength` of the search's `q`).
pub const MAX_QUERY_CHARS: usize = 200;

/// What `run.json` records of the query log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QueryLogInfo {
    /// The file's name (without its folder).
    pub file: String,
    /// Distinct queries replayed (equal lines are one query, their counts added).
    pub distinct_queries: u64,
    /// Sum of the counts: the searches the log stands for.
    pub total_count: u64,
    /// Lines left out: queries longer than the contract allows, or holding U+0000.
    pub skipped: u64,
    /// SHA-256 of the file's bytes.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub checksum_sha256: String,
}

/// A read query log, ready to draw from.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryLog {
    pub info: QueryLogInfo,
    queries: Vec<String>,
    /// Running sum of the counts, for drawing by weight.
    cumulative: Vec<u64>,
    /// Why lines were left out (`file:line: …`).
    pub skipped: Vec<String>,
}

#[derive(Debug, Error)]
pub enum QueryLogError {
    #[error("cannot read the query log {path}: {error}")]
    Open { path: String, error: std::io::Error },
    #[error("{file}:{line}: expected a whole number after the tab (query<TAB>count), got {got:?}")]
    Count { file: String, line: usize, got: String },
    #[error(
        "{file} holds no usable query ({skipped} skipped): give one query per line, optionally query<TAB>count, each at most {MAX_QUERY_CHARS} characters"
    )]
    Empty { file: String, skipped: usize },
}

impl QueryLog {
    /// Reads `path`. Blank lines and counts of 0 are ignored; over-long queries are listed in
    /// [`QueryLog::skipped`]; a count that is not a number, or no usable query, is an error.
    pub fn read(path: &Path) -> Result<QueryLog, QueryLogError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|error| QueryLogError::Open { path: file.clone(), error })?;
        let text = String::from_utf8_lossy(&bytes);
        let mut log = QueryLog { info: info(path, &bytes), queries: Vec::new(), cumulative: Vec::new(), skipped: Vec::new() };
        let mut counts: Vec<(String, u64)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let Some((query, count)) = parse_line(&file, i + 1, line)? else { continue };
            if query.chars().count() > MAX_QUERY_CHARS || query.contains('\0') {
                log.skipped.push(format!("{file}:{}: a query of {} characters (at most {MAX_QUERY_CHARS}, no U+0000): skipped", i + 1, query.chars().count()));
                continue;
            }
            let at = *index.entry(query.clone()).or_insert_with(|| {
                counts.push((query, 0));
                counts.len() - 1
            });
            counts[at].1 += count;
        }
        if counts.is_empty() {
            return Err(QueryLogError::Empty { file, skipped: log.skipped.len() });
        }
        let mut total = 0;
        for (query, count) in counts {
            total += count;
            log.queries.push(query);
            log.cumulative.push(total);
        }
        (log.info.distinct_queries, log.info.total_count, log.info.skipped) = (log.queries.len() as u64, total, log.skipped.len() as u64);
        Ok(log)
    }

    /// Each distinct query with its count, in the log's order (what a distributed run's
    /// generators are sent: [`QueryLog::from_counts`] makes the same log again).
    pub fn counts(&self) -> Vec<(String, u64)> {
        let counts = self.cumulative.iter().scan(0, |before, &total| Some(total - std::mem::replace(before, total)));
        self.queries.iter().cloned().zip(counts).collect()
    }

    /// The log of these `(query, count)` pairs, as [`QueryLog::counts`] gave them.
    pub fn from_counts(info: QueryLogInfo, counts: &[(String, u64)]) -> QueryLog {
        let mut total = 0;
        let cumulative = counts.iter().map(|(_, count)| {
            total += count;
            total
        });
        QueryLog { info, cumulative: cumulative.collect(), queries: counts.iter().map(|(q, _)| q.clone()).collect(), skipped: Vec::new() }
    }

    /// A query, drawn with probability proportional to its count.
    pub fn draw(&self, draw: &mut Draw) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1);
        let x = draw.below(total);
        let at = self.cumulative.partition_point(|&c| c <= x);
        &self.queries[at.min(self.queries.len() - 1)]
    }
}

/// `(query, count)` of a line; None for a blank line or a count of 0.
fn parse_line(file: &str, line: usize, text: &str) -> Result<Option<(String, u64)>, QueryLogError> {
    let text = text.trim_end_matches('\r');
    let (query, count) = match text.rsplit_once('\t') {
        Some((query, count)) => {
            let n = count.trim().parse::<u64>().map_err(|_| QueryLogError::Count { file: file.into(), line, got: count.into() })?;
            (query, n)
        }
        None => (text, 1),
    };
    let query = query.trim();
    Ok((!query.is_empty() && count > 0).then(|| (query.to_string(), count)))
}

fn info(path: &Path, bytes: &[u8]) -> QueryLogInfo {
    QueryLogInfo {
        file: path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        distinct_queries: 0,
        total_count: 0,
        skipped: 0,
        checksum_sha256: hex::encode(Sha256::digest(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries.tsv")
    }

    #[test]
    fn a_log_made_again_from_its_counts_draws_the_same_queries() {
        let log = QueryLog::read(&fixture()).unwrap();
        assert_eq!(log.counts()[0], ("chef knife".to_string(), 120));
        let again = QueryLog::from_counts(log.info.clone(), &log.counts());
        let (mut a, mut b) = (Draw::new(1, 2), Draw::new(1, 2));
        assert!((0..500).all(|_| log.draw(&mut a) == again.draw(&mut b)));
    }

    #[test]
    fn a_query_log_with_counts_is_read_and_the_over_long_query_is_reported_and_skipped() {
        let log = QueryLog::read(&fixture()).unwrap();
        assert_eq!(log.queries, ["chef knife", "linen napkin", "stoneware mug", "organic tee"]);
        assert_eq!((log.info.distinct_queries, log.info.total_count, log.info.skipped), (4, 164, 1));
        assert_eq!(log.skipped.len(), 1);
        assert!(log.skipped[0].ends_with("queries.tsv:6: a query of 201 characters (at most 200, no U+0000): skipped"), "{:?}", log.skipped);
        assert_eq!(log.info.file, "queries.tsv");
        assert_eq!(log.info.checksum_sha256.len(), 64);
    }

    #[test]
    fn queries_are_drawn_in_proportion_to_their_counts() {
        let log = QueryLog::read(&fixture()).unwrap();
        let mut draw = Draw::new(1, 0);
        let mut seen = std::collections::HashMap::<String, u32>::new();
        for _ in 0..16_400 {
            *seen.entry(log.draw(&mut draw).to_string()).or_default() += 1;
        }
        let share = |q: &str| seen.get(q).copied().unwrap_or(0);
        assert!((11_400..12_600).contains(&share("chef knife")), "{seen:?}");
        assert!((3_600..4_400).contains(&share("linen napkin")), "{seen:?}");
        assert!((40..180).contains(&share("stoneware mug")), "{seen:?}");
    }

    #[test]
    fn the_longest_query_is_the_contract_s_max_length_of_q() {
        let contract = include_str!("../../../apps/contract/openapi.yaml");
        let q = &contract[contract.find("- name: q\n").expect("the search's q parameter")..];
        let schema = q.lines().find(|l| l.trim_start().starts_with("schema:")).unwrap();
        assert!(schema.contains(&format!("maxLength: {MAX_QUERY_CHARS},")), "{schema}");
    }

    #[test]
    fn an_empty_or_unusable_log_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.tsv");
        std::fs::write(&path, "\n  \nzero\t0\n").unwrap();
        let error = QueryLog::read(&path).unwrap_err().to_string();
        assert!(
            error.ends_with("empty.tsv holds no usable query (0 skipped): give one query per line, optionally query<TAB>count, each at most 200 characters"),
            "{error}"
        );
        std::fs::write(&path, "knife\tmany\n").unwrap();
        let error = QueryLog::read(&path).unwrap_err().to_string();
        assert!(error.ends_with("empty.tsv:1: expected a whole number after the tab (query<TAB>count), got \"many\""), "{error}");
    }
}
