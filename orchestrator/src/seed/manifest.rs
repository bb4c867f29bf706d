//! The dataset manifest: what a seed produced, with the content checksum that proves two
//! machines generated the same bytes.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Bump when the generator's output changes on purpose (then regenerate the committed manifests).
pub const GENERATOR_VERSION: u32 = 1;

/// A generated dataset, as recorded in `datasets/manifests/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DatasetManifest {
    /// Version of the generator that produced the data.
    pub generator_version: u32,
    /// Products requested and generated.
    pub products: u64,
    /// The generator seed.
    pub seed: u64,
    /// Rows in `categories`.
    pub categories: u64,
    /// Distinct brands.
    pub brands: u64,
    /// Product ids with stock 10 reserved for the no-oversell checks (`1..=reserved_products`).
    pub reserved_products: u32,
    /// SHA-256 of the COPY text of categories then products: equal checksum ⇒ identical data.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub checksum_sha256: String,
    /// Where the catalogue came from when it was read from a file (`--catalog`); absent for the
    /// generated catalogue (then `generator_version`, `products` and `seed` say what it is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<CatalogSource>,
}

/// A catalogue read from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CatalogSource {
    /// The file's name (without its folder).
    pub file: String,
    /// `shopify-csv`, `csv` or `jsonl`.
    pub format: String,
    /// Products loaded (rows of the file that became products).
    pub rows: u64,
    /// Invalid rows left out with `--skip-invalid`.
    pub skipped: u64,
}

impl DatasetManifest {
    /// What the catalogue is, in words: `generated, 1000 products, seed 42` or
    /// `products.csv (csv), 40 rows`.
    pub fn describe(&self) -> String {
        match &self.source {
            Some(s) => format!("{} ({}), {} rows", s.file, s.format, s.rows),
            None => format!("generated, {} products, seed {}", self.products, self.seed),
        }
    }

    /// The file name this manifest has under `results/datasets/`.
    pub fn own_file_name(&self) -> String {
        match &self.source {
            Some(s) => format!("catalog-{}-{}.json", s.file.replace(['/', '\\'], "_"), &self.checksum_sha256[..12]),
            None => Self::file_name(self.products, self.seed),
        }
    }

    /// The file name this dataset's manifest has.
    pub fn file_name(products: u64, seed: u64) -> String {
        format!("products-{products}-seed-{seed}.json")
    }

    pub fn path_in(dir: &Path, products: u64, seed: u64) -> PathBuf {
        dir.join(Self::file_name(products, seed))
    }

    /// The manifest at `path`, if there is a readable one.
    pub fn read(path: &Path) -> Option<DatasetManifest> {
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(path, text + "\n")
    }
}
