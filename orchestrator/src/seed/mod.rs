//! `bakeoff seed`: generate the catalogue deterministically and bulk-load it with COPY.

mod catalog;
mod copy;
pub mod import;
mod manifest;
pub(crate) mod rng;
mod vocab;

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use futures_util::SinkExt;
use sha2::{Digest, Sha256};
use thiserror::Error;
use tokio::sync::mpsc;
use tokio_postgres::Client;

pub use catalog::{Catalog, CategoryRow, ProductRow, RESERVED_PRODUCTS, RESERVED_STOCK};
pub use copy::{utc_now, utc_timestamp};
pub use import::Imported;
pub use manifest::{CatalogSource, DatasetManifest, GENERATOR_VERSION};

/// The authoritative schema (datasets/schema.sql), embedded.
pub const SCHEMA_SQL: &str = include_str!("../../../datasets/schema.sql");
const AFTER_LOAD_MARKER: &str = "-- @after-load";

/// The words shoppers search for, most common first: product nouns, attributes, materials,
/// colours — the catalogue's own vocabulary.
pub fn search_terms() -> Vec<&'static str> {
    let nouns = vocab::DEPARTMENTS.iter().flat_map(|d| d.categories).flat_map(|c| c.leaves).map(|(_, noun)| *noun);
    let mut terms: Vec<&'static str> = Vec::new();
    for term in nouns.chain(vocab::ATTRIBUTES.iter().copied()).chain(vocab::COLOURS.iter().copied()).chain(vocab::MATERIALS.iter().copied()) {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// Fewest products a dataset may have (the reserved products must fit, with room to spare).
pub const MIN_PRODUCTS: u64 = 100;
/// Most products a dataset may have.
pub const MAX_PRODUCTS: u64 = 10_000_000;
const ROWS_PER_CHUNK: u32 = 2_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatasetSpec {
    pub products: u64,
    pub seed: u64,
}

/// The catalogue a seed loads: generated, or read from a user's file (`--catalog`).
#[derive(Debug, Clone, PartialEq)]
pub enum Dataset {
    Generated(DatasetSpec),
    File(Arc<Imported>),
}

impl Dataset {
    /// The manifest (checksum included) without a database.
    pub fn manifest(&self) -> DatasetManifest {
        match self {
            Dataset::Generated(spec) => manifest_of(*spec),
            Dataset::File(imported) => stream_file(imported, |_| true),
        }
    }

    /// How many products it has.
    pub fn products(&self) -> u64 {
        match self {
            Dataset::Generated(spec) => spec.products,
            Dataset::File(imported) => imported.products.len() as u64,
        }
    }

    /// What is being seeded, for progress lines.
    pub fn describe(&self) -> String {
        match self {
            Dataset::Generated(spec) => format!("{} products (seed {})", spec.products, spec.seed),
            Dataset::File(imported) => format!("{} products from {}", imported.products.len(), imported.file),
        }
    }
}

/// What a seed did and how long it took.
#[derive(Debug, Clone)]
pub struct SeedReport {
    pub manifest: DatasetManifest,
    /// Wall time from the first generated row to the committed, indexed, analysed tables.
    pub load_ms: u64,
    /// Bytes of COPY text sent.
    pub copy_bytes: u64,
}

#[derive(Debug, Error)]
pub enum SeedError {
    #[error("--products must be between {MIN_PRODUCTS} and {MAX_PRODUCTS}, got {0}")]
    ProductCount(u64),
    #[error("the database already holds a catalogue; seed a fresh database, or pass --reset to drop and reload it")]
    AlreadySeeded,
    #[error("seeding failed while {step}: {source}")]
    Sql {
        step: &'static str,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("the load was refused: {0}")]
    Refused(String),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("the data generator stopped unexpectedly: {0}")]
    Generator(String),
    #[error("after loading, the database holds {found} {table} rows but {expected} were generated")]
    RowCount { table: &'static str, expected: u64, found: u64 },
}

/// One piece of COPY text for a table.
enum Chunk {
    Categories(Bytes),
    Products(Bytes),
}

impl DatasetSpec {
    pub fn check(&self) -> Result<(), SeedError> {
        if (MIN_PRODUCTS..=MAX_PRODUCTS).contains(&self.products) {
            Ok(())
        } else {
            Err(SeedError::ProductCount(self.products))
        }
    }
}

/// Generates the dataset without a database and returns its manifest (checksum included).
pub fn manifest_of(spec: DatasetSpec) -> DatasetManifest {
    generate(spec, |_| true)
}

/// Generates the dataset, handing each COPY chunk to `emit` (which returns false to stop early).
fn generate(spec: DatasetSpec, mut emit: impl FnMut(Chunk) -> bool) -> DatasetManifest {
    let mut catalog = Catalog::new(spec.products, spec.seed);
    let mut hash = Sha256::new();
    let mut text = Vec::new();
    catalog.categories.iter().for_each(|row| copy::category_line(row, &mut text));
    hash.update(&text);
    let mut going = emit(Chunk::Categories(Bytes::from(std::mem::take(&mut text))));
    let mut id = 1u32;
    while going && u64::from(id) <= spec.products {
        let last = (u64::from(id) + u64::from(ROWS_PER_CHUNK) - 1).min(spec.products) as u32;
        (id..=last).for_each(|i| copy::product_line(&catalog.product(i), &mut text));
        hash.update(&text);
        going = emit(Chunk::Products(Bytes::from(std::mem::take(&mut text))));
        id = last + 1;
    }
    DatasetManifest {
        generator_version: GENERATOR_VERSION,
        products: spec.products,
        seed: spec.seed,
        categories: catalog.categories.len() as u64,
        brands: catalog.brands.len() as u64,
        reserved_products: RESERVED_PRODUCTS,
        checksum_sha256: hex::encode(hash.finalize()),
        source: None,
    }
}

/// Hands the COPY text of a file's catalogue to `emit` chunk by chunk, as [`generate`] does.
fn stream_file(imported: &Imported, mut emit: impl FnMut(Chunk) -> bool) -> DatasetManifest {
    let mut hash = Sha256::new();
    let mut text = Vec::new();
    imported.categories.iter().for_each(|row| copy::category_line(row, &mut text));
    hash.update(&text);
    let mut going = emit(Chunk::Categories(Bytes::from(std::mem::take(&mut text))));
    for chunk in imported.products.chunks(ROWS_PER_CHUNK as usize) {
        if !going {
            break;
        }
        chunk.iter().for_each(|row| copy::product_line(row, &mut text));
        hash.update(&text);
        going = emit(Chunk::Products(Bytes::from(std::mem::take(&mut text))));
    }
    let brands: std::collections::HashSet<&str> = imported.products.iter().map(|p| p.brand.as_str()).collect();
    DatasetManifest {
        generator_version: 0,
        products: imported.products.len() as u64,
        seed: 0,
        categories: imported.categories.len() as u64,
        brands: brands.len() as u64,
        reserved_products: RESERVED_PRODUCTS,
        checksum_sha256: hex::encode(hash.finalize()),
        source: Some(CatalogSource {
            file: imported.file.clone(),
            format: imported.format.name().into(),
            rows: imported.products.len() as u64,
            skipped: imported.skipped.len() as u64,
        }),
    }
}

/// Creates the schema and loads the dataset in one transaction: all of it or nothing. With
/// `reset`, an earlier catalogue is dropped inside the same transaction, so a failed load leaves
/// it as it was.
pub async fn seed(client: &mut Client, dataset: &Dataset, reset: bool) -> Result<SeedReport, SeedError> {
    if let Dataset::Generated(spec) = dataset {
        spec.check()?;
    }
    let exists = earlier_catalogue(client).await?;
    if exists && !reset {
        return Err(SeedError::AlreadySeeded);
    }
    let started = Instant::now();
    let (tables, indexes) = SCHEMA_SQL.split_once(AFTER_LOAD_MARKER).unwrap_or((SCHEMA_SQL, ""));
    let sql = |step| move |source| SeedError::Sql { step, source };
    let tx = client.transaction().await.map_err(sql("opening the transaction"))?;
    if exists {
        tx.batch_execute(DROP_CATALOGUE).await.map_err(sql("dropping the earlier catalogue"))?;
    }
    tx.batch_execute(tables).await.map_err(sql("creating the tables"))?;
    let (chunks, producer) = spawn_producer(dataset.clone());
    let copy_bytes = load_chunks(&tx, chunks).await?;
    let manifest = producer.await.map_err(|e| SeedError::Generator(e.to_string()))?;
    tx.batch_execute(indexes).await.map_err(sql("building indexes"))?;
    check_count(&tx, "products", manifest.products).await?;
    check_count(&tx, "categories", manifest.categories).await?;
    if std::env::var(FAIL_BEFORE_COMMIT_ENV).is_ok() {
        return Err(SeedError::Refused(format!("{FAIL_BEFORE_COMMIT_ENV} is set (a test hook): the load is rolled back")));
    }
    tx.commit().await.map_err(sql("committing"))?;
    let load_ms = started.elapsed().as_millis() as u64;
    Ok(SeedReport { manifest, load_ms, copy_bytes })
}

/// Set (to anything) to make [`seed`] fail after loading everything, just before its commit:
/// the integration tests prove with it that a failed load changes nothing.
pub const FAIL_BEFORE_COMMIT_ENV: &str = "BAKEOFF_SEED_FAIL_BEFORE_COMMIT";
const DROP_CATALOGUE: &str = "DROP TABLE IF EXISTS order_items, orders, cart_items, carts, products, categories CASCADE";

async fn earlier_catalogue(client: &Client) -> Result<bool, SeedError> {
    let row = client.query_one("SELECT to_regclass('public.products') IS NOT NULL", &[]).await;
    Ok(row.map_err(|source| SeedError::Sql { step: "checking for an earlier catalogue", source })?.get(0))
}

/// Produces the COPY text on its own thread (generating or encoding a file's rows), so
/// producing and loading overlap.
fn spawn_producer(dataset: Dataset) -> (mpsc::Receiver<Chunk>, tokio::task::JoinHandle<DatasetManifest>) {
    let (sender, receiver) = mpsc::channel(8);
    let handle = tokio::task::spawn_blocking(move || match dataset {
        Dataset::Generated(spec) => generate(spec, |chunk| sender.blocking_send(chunk).is_ok()),
        Dataset::File(imported) => stream_file(&imported, |chunk| sender.blocking_send(chunk).is_ok()),
    });
    (receiver, handle)
}

async fn load_chunks(tx: &tokio_postgres::Transaction<'_>, mut chunks: mpsc::Receiver<Chunk>) -> Result<u64, SeedError> {
    let sql = |step| move |source| SeedError::Sql { step, source };
    let mut bytes = 0u64;
    let Some(Chunk::Categories(categories)) = chunks.recv().await else {
        return Err(SeedError::Generator("no categories were generated".into()));
    };
    bytes += categories.len() as u64;
    let sink = tx.copy_in::<_, Bytes>(copy::CATEGORIES_COPY).await.map_err(sql("starting COPY categories"))?;
    futures_util::pin_mut!(sink);
    sink.send(categories).await.map_err(sql("copying categories"))?;
    sink.as_mut().finish().await.map_err(sql("finishing COPY categories"))?;
    let sink = tx.copy_in::<_, Bytes>(copy::PRODUCTS_COPY).await.map_err(sql("starting COPY products"))?;
    futures_util::pin_mut!(sink);
    while let Some(Chunk::Products(text)) = chunks.recv().await {
        bytes += text.len() as u64;
        sink.send(text).await.map_err(sql("copying products"))?;
    }
    sink.as_mut().finish().await.map_err(sql("finishing COPY products"))?;
    Ok(bytes)
}

async fn check_count(tx: &tokio_postgres::Transaction<'_>, table: &'static str, expected: u64) -> Result<(), SeedError> {
    let query = format!("SELECT count(*) FROM {table}");
    let row = tx.query_one(&query, &[]).await.map_err(|source| SeedError::Sql { step: "counting rows", source })?;
    let found = row.get::<_, i64>(0) as u64;
    if found != expected {
        return Err(SeedError::RowCount { table, expected, found });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_checksum_and_another_seed_does_not() {
        let a = manifest_of(DatasetSpec { products: 500, seed: 42 });
        let b = manifest_of(DatasetSpec { products: 500, seed: 42 });
        let c = manifest_of(DatasetSpec { products: 500, seed: 43 });
        assert_eq!(a, b);
        assert_ne!(a.checksum_sha256, c.checksum_sha256);
    }

    #[test]
    fn product_counts_outside_the_range_are_refused() {
        assert!(matches!(DatasetSpec { products: 5, seed: 1 }.check(), Err(SeedError::ProductCount(5))));
        assert!(DatasetSpec { products: 100, seed: 1 }.check().is_ok());
    }

    #[test]
    fn the_schema_splits_into_tables_and_after_load_indexes() {
        let (tables, indexes) = SCHEMA_SQL.split_once(AFTER_LOAD_MARKER).unwrap();
        assert!(tables.contains("CREATE TABLE products"));
        assert!(indexes.contains("USING gin (search_vector)"));
        assert!(!tables.contains("CREATE INDEX"));
    }
}
