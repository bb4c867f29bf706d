//! The team's own inputs, read once before anything starts: `--catalog FILE` (checked for what
//! `verify` needs when it is to be verified) and `--queries FILE`.

use std::sync::Arc;

use anyhow::Result;

use crate::cli::CatalogArgs;
use crate::config::Config;
use crate::load::queries::QueryLog;
use crate::{report, seed};

/// Reads `--catalog` (once, before anything starts), reports the rows `--skip-invalid` left out,
/// and makes it the catalogue every seed of this command loads.
pub fn use_catalog(config: &mut Config, args: &CatalogArgs) -> Result<()> {
    let Some(path) = &args.catalog else { return Ok(()) };
    let imported = seed::import::read(path, args.skip_invalid)?;
    if !imported.skipped.is_empty() {
        eprint!("{}", report::seed::skipped(&imported));
    }
    config.dataset.catalog = Some(Arc::new(imported));
    Ok(())
}

/// Refuses a catalogue file the conformance suite cannot run on, before anything starts.
pub fn fit_for_verify(config: &Config) -> Result<()> {
    let Some(imported) = &config.dataset.catalog else { return Ok(()) };
    let reasons = seed::import::needs::unmet(imported);
    if reasons.is_empty() {
        return Ok(());
    }
    Err(seed::import::ImportError::UnfitForVerify { file: imported.file.clone(), reasons: reasons.join("; ") }.into())
}

/// Reads `--queries`, listing on stderr the queries it skips.
pub fn read_queries(path: &std::path::Path) -> Result<Arc<QueryLog>> {
    let log = QueryLog::read(path)?;
    for reason in &log.skipped {
        eprintln!("{reason}");
    }
    eprintln!("query log {}: {} distinct queries standing for {} searches", log.info.file, log.info.distinct_queries, log.info.total_count);
    Ok(Arc::new(log))
}
