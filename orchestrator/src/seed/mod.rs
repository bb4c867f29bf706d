//! `bakeoff seed`: generate the catalogue deterministically and bulk-load it with COPY.

mod catalog;
mod copy;
mod manifest;
pub(crate) mod rng;
mod vocab;

use std::time::Instant;

use bytes::Bytes;
use futures_util::SinkExt;
use sha2::{Digest, Sha256};
use thiserror::Error;
use tokio::sync::mpsc;
use tokio_postgres::Client;

pub use catalog::{Catalog, CategoryRow, ProductRow, RESERVED_PRODUCTS, RESERVED_STOCK};
pub use copy::{utc_now, utc_timestamp};
pub use manifest::{DatasetManifest, GENERATOR_VERSION};

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
    }
}

/// Creates the schema and loads the dataset in one transaction: all of it or nothing.
pub async fn seed(client: &mut Client, spec: DatasetSpec, reset: bool) -> Result<SeedReport, SeedError> {
    spec.check()?;
    prepare(client, reset).await?;
    let started = Instant::now();
    let (tables, indexes) = SCHEMA_SQL.split_once(AFTER_LOAD_MARKER).unwrap_or((SCHEMA_SQL, ""));
    let sql = |step| move |source| SeedError::Sql { step, source };
    let tx = client.transaction().await.map_err(sql("opening the transaction"))?;
    tx.batch_execute(tables).await.map_err(sql("creating the tables"))?;
    let (chunks, generator) = spawn_generator(spec);
    let copy_bytes = load_chunks(&tx, chunks).await?;
    let manifest = generator.await.map_err(|e| SeedError::Generator(e.to_string()))?;
    tx.batch_execute(indexes).await.map_err(sql("building indexes"))?;
    check_count(&tx, "products", spec.products).await?;
    check_count(&tx, "categories", manifest.categories).await?;
    tx.commit().await.map_err(sql("committing"))?;
    let load_ms = started.elapsed().as_millis() as u64;
    Ok(SeedReport { manifest, load_ms, copy_bytes })
}

async fn prepare(client: &Client, reset: bool) -> Result<(), SeedError> {
    let sql = |step| move |source| SeedError::Sql { step, source };
    let row = client.query_one("SELECT to_regclass('public.products') IS NOT NULL", &[]).await;
    let exists: bool = row.map_err(sql("checking for an earlier catalogue"))?.get(0);
    if exists && !reset {
        return Err(SeedError::AlreadySeeded);
    }
    let drop = "DROP TABLE IF EXISTS order_items, orders, cart_items, carts, products, categories CASCADE";
    client.batch_execute(drop).await.map_err(sql("dropping the earlier catalogue"))
}

/// Runs the CPU-bound generator on its own thread, so generating and loading overlap.
fn spawn_generator(spec: DatasetSpec) -> (mpsc::Receiver<Chunk>, tokio::task::JoinHandle<DatasetManifest>) {
    let (sender, receiver) = mpsc::channel(8);
    let handle = tokio::task::spawn_blocking(move || generate(spec, |chunk| sender.blocking_send(chunk).is_ok()));
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
