//! The seed summary.

use crate::seed::SeedReport;

pub fn summary(report: &SeedReport) -> String {
    let m = &report.manifest;
    let rate = m.products as f64 / (report.load_ms.max(1) as f64 / 1000.0);
    let from = match &m.source {
        Some(s) => format!("from {} ({})", s.file, s.format),
        None => format!("with seed {}", m.seed),
    };
    format!(
        "seeded {} products ({} categories, {} brands) {} in {:.1} s ({:.0} products/s, {:.1} MiB of COPY text)\n\
         checksum sha256 {}\n",
        m.products,
        m.categories,
        m.brands,
        from,
        report.load_ms as f64 / 1000.0,
        rate,
        report.copy_bytes as f64 / (1u64 << 20) as f64,
        m.checksum_sha256,
    )
}

/// The rows `--skip-invalid` left out: how many, and the first ten reasons.
pub fn skipped(imported: &crate::seed::Imported) -> String {
    let mut out = format!("skipped {} invalid row(s) of {}:\n", imported.skipped.len(), imported.file);
    for reason in imported.skipped.iter().take(10) {
        out.push_str(&format!("  {reason}\n"));
    }
    if imported.skipped.len() > 10 {
        out.push_str(&format!("  … and {} more\n", imported.skipped.len() - 10));
    }
    out
}
