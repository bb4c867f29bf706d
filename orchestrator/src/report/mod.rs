//! All formatting of results for people and files lives here, one exporter per file.

pub mod apps;
pub mod csv;
pub mod doctor;
pub mod hgrm;
pub mod intervals;
pub mod json;
pub mod leaderboard;
pub mod load;
pub mod markdown;
pub mod seed;
pub mod verify;

use std::path::{Path, PathBuf};

use crate::collect::RunResults;

/// A results file made from a run's results.
pub trait Exporter {
    fn file_name(&self) -> &'static str;
    fn export(&self, results: &RunResults) -> Vec<u8>;
}

/// The exporters written after every app (so a crash loses little).
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![Box::new(json::Json), Box::new(csv::Csv), Box::new(markdown::Markdown)]
}

/// Why a run's results files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Invalid(#[from] json::InvalidResults),
    #[error("cannot write {path}: {source} (is the results folder writable, is the disk full?)")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Writes every exporter's file into `dir`, once the results fit run.json's schema.
pub fn write_all(dir: &Path, results: &RunResults) -> Result<(), WriteError> {
    json::check(results)?;
    for exporter in exporters() {
        let path = dir.join(exporter.file_name());
        std::fs::write(&path, exporter.export(results)).map_err(|source| WriteError::Io { path, source })?;
    }
    Ok(())
}

/// Microseconds as milliseconds with one decimal.
pub(crate) fn ms(us: u64) -> String {
    format!("{:.1}", us as f64 / 1000.0)
}
