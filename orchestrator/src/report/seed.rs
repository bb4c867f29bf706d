//! The seed summary.

use crate::seed::SeedReport;

pub fn summary(report: &SeedReport) -> String {
    let m = &report.manifest;
    let rate = m.products as f64 / (report.load_ms.max(1) as f64 / 1000.0);
    format!(
        "seeded {} products ({} categories, {} brands) with seed {} in {:.1} s ({:.0} products/s, {:.1} MiB of COPY text)\n\
         checksum sha256 {}\n",
        m.products,
        m.categories,
        m.brands,
        m.seed,
        report.load_ms as f64 / 1000.0,
        rate,
        report.copy_bytes as f64 / (1u64 << 20) as f64,
        m.checksum_sha256,
    )
}
