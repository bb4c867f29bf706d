//! `--catalog FILE`: a team's own catalogue — a Shopify product CSV export, the generic CSV or
//! JSON Lines format (datasets/README.md) — read, checked row by row and numbered for COPY.

mod columns;
mod generic;
pub mod needs;
pub mod price;
pub mod rows;
mod shopify;

use std::path::Path;

use thiserror::Error;

use super::{CategoryRow, ProductRow, MAX_PRODUCTS, RESERVED_PRODUCTS};
use rows::{Labels, RawProduct, RowError};

/// Fewest valid products a file must have: the reserved ids and at least one product besides.
pub const MIN_FILE_PRODUCTS: usize = RESERVED_PRODUCTS as usize + 1;
/// Reasons shown when rows are invalid.
const REASONS_SHOWN: usize = 10;

/// The formats `--catalog` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Shopify,
    Csv,
    JsonLines,
}

impl Format {
    /// The name recorded in the dataset manifest.
    pub fn name(self) -> &'static str {
        match self {
            Format::Shopify => "shopify-csv",
            Format::Csv => "csv",
            Format::JsonLines => "jsonl",
        }
    }
}

/// A catalogue read from a file, ready to load.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The file's name (without its folder).
    pub file: String,
    pub format: Format,
    pub categories: Vec<CategoryRow>,
    pub products: Vec<ProductRow>,
    /// Rows left out with `--skip-invalid`, each with its reason.
    pub skipped: Vec<RowError>,
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read the catalogue {path}: {error}")]
    Open { path: String, error: std::io::Error },
    #[error("{file}:{line}: the file is not UTF-8 text (save it as UTF-8)")]
    NotUtf8 { file: String, line: u64 },
    #[error("{file}: not a readable CSV file: {error}")]
    Csv { file: String, error: csv::Error },
    #[error("{file}: a {format} file needs the columns {missing} in its header line; it has: {found}")]
    MissingColumns { file: String, format: String, missing: String, found: String },
    #[error("{file}: {count} invalid row(s); the first {shown}:\n  {reasons}\nfix them, or pass --skip-invalid to load the other rows")]
    Invalid { file: String, count: usize, shown: usize, reasons: String },
    #[error("{file}: {valid} valid product(s), but a catalogue needs at least {MIN_FILE_PRODUCTS}: ids 1–{RESERVED_PRODUCTS} are reserved for the conformance checks, and the load needs products besides them")]
    TooFew { file: String, valid: usize },
    #[error("{file} cannot be verified: the conformance suite needs {reasons}; add such products after the first {RESERVED_PRODUCTS} rows")]
    UnfitForVerify { file: String, reasons: String },
    #[error("{file}: {valid} products, more than the {MAX_PRODUCTS} a catalogue may have")]
    TooMany { file: String, valid: usize },
}

/// Reads, checks and numbers the catalogue at `path`. Invalid rows are an error listing the
/// first ten reasons, or with `skip_invalid` are left out and listed in [`Imported::skipped`].
pub fn read(path: &Path, skip_invalid: bool) -> Result<Imported, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| ImportError::Open { path: file.clone(), error })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 { file: file.clone(), line: line_at(bytes, e.valid_up_to()) })?;
    let (format, (raw, labels)) = parse(&file, text)?;
    let (valid, mut skipped) = check(raw, &labels, &file);
    if !skipped.is_empty() && !skip_invalid {
        return Err(invalid(&file, &skipped));
    }
    skipped.sort_by_key(|e| e.line);
    if valid.len() < MIN_FILE_PRODUCTS {
        return Err(ImportError::TooFew { file, valid: valid.len() });
    }
    if valid.len() as u64 > MAX_PRODUCTS {
        return Err(ImportError::TooMany { file, valid: valid.len() });
    }
    let (categories, products) = rows::number(valid);
    let name = path.file_name().map_or(file.clone(), |n| n.to_string_lossy().into_owned());
    Ok(Imported { file: name, format, categories, products, skipped })
}

type Parsed = (Vec<Result<RawProduct, RowError>>, Labels);

/// The format of `text` (JSON Lines when it starts with `{`, Shopify when the CSV header has
/// Handle and Variant Price, else the generic CSV) and its rows.
fn parse(file: &str, text: &str) -> Result<(Format, Parsed), ImportError> {
    if text.trim_start().starts_with('{') {
        return Ok((Format::JsonLines, generic::read_jsonl(file, text)));
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(file, e))?;
    if shopify::recognises(header) {
        Ok((Format::Shopify, shopify::read(file, text.as_bytes())?))
    } else {
        Ok((Format::Csv, generic::read_csv(file, text.as_bytes())?))
    }
}

/// The rows that pass every check, and the reasons of those that do not.
fn check(raw: Vec<Result<RawProduct, RowError>>, labels: &Labels, file: &str) -> (Vec<rows::ValidProduct>, Vec<RowError>) {
    let (mut valid, mut errors) = (Vec::new(), Vec::new());
    for row in raw {
        match row.and_then(|r| rows::check(r, labels, file)) {
            Ok(v) => valid.push(v),
            Err(e) => errors.push(e),
        }
    }
    let duplicates = rows::duplicate_skus(&valid, labels, file);
    let lines: std::collections::HashSet<u64> = duplicates.iter().map(|e| e.line).collect();
    valid.retain(|v| !lines.contains(&v.line));
    errors.extend(duplicates);
    errors.sort_by_key(|e| e.line);
    (valid, errors)
}

fn invalid(file: &str, errors: &[RowError]) -> ImportError {
    let shown: Vec<String> = errors.iter().take(REASONS_SHOWN).map(ToString::to_string).collect();
    ImportError::Invalid { file: file.into(), count: errors.len(), shown: shown.len(), reasons: shown.join("\n  ") }
}

/// The 1-based line of byte `offset`.
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

pub(crate) fn csv_error(file: &str, source: csv::Error) -> ImportError {
    ImportError::Csv { file: file.into(), error: source }
}

/// An HTML body as plain text on one line: tags dropped, entities decoded, whitespace collapsed.
pub(crate) fn html_to_text(html: &str) -> String {
    let text = html2text::config::plain_no_decorate().string_from_read(html.as_bytes(), 100_000).unwrap_or_else(|_| html.to_string());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
