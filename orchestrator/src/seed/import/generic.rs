//! The generic formats (datasets/README.md): a CSV file with the header
//! `name,description,brand,category,price,stock,sku` (any order; description and sku optional),
//! or JSON Lines with one object per line with the same fields.

use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::columns::Columns;
use super::rows::{Key, Labels, RawProduct, RowError};
use super::ImportError;

const REQUIRED: [&str; 5] = ["name", "brand", "category", "price", "stock"];
const JSON_EXPECTED: &str = "a JSON object with name, brand, category, price, stock (description and sku optional), nothing else";

/// Rows of the generic CSV format.
pub fn read_csv(file: &str, data: &[u8]) -> Result<(Vec<Result<RawProduct, RowError>>, Labels), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let header = reader.headers().map_err(|e| super::csv_error(file, e))?.clone();
    let lower: csv::StringRecord = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let columns = Columns::new(file, "generic CSV", lower, &REQUIRED)?;
    let labels = labels(|name| columns.label(name));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| super::csv_error(file, e))?;
        let get = |name: &str| columns.get(&record, name).to_string();
        let sku = columns.has("sku").then(|| get("sku"));
        let line = record.position().map_or(0, |p| p.line());
        rows.push(Ok(raw(line, get("name"), get("description"), get("brand"), get("category"), get("price"), get("stock"), sku)));
    }
    Ok((rows, labels))
}

/// One line of the JSON Lines format. Price and stock may be JSON strings or numbers; a number
/// is read from its text, never through a float.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonProduct<'a> {
    name: String,
    #[serde(default)]
    description: String,
    brand: String,
    category: String,
    #[serde(borrow)]
    price: &'a RawValue,
    #[serde(borrow)]
    stock: &'a RawValue,
    #[serde(default)]
    sku: Option<String>,
}

/// Rows of the JSON Lines format (blank lines are skipped).
pub fn read_jsonl(file: &str, text: &str) -> (Vec<Result<RawProduct, RowError>>, Labels) {
    let labels = labels(|name| format!("field {name:?}"));
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let line = i as u64 + 1;
            let p: JsonProduct = serde_json::from_str(l).map_err(|e| RowError {
                file: file.into(),
                line,
                field: format!("column {}", e.column()),
                expected: JSON_EXPECTED.into(),
                got: format!("{e}"),
            })?;
            Ok(raw(line, p.name, p.description, p.brand, p.category, number_text(p.price), number_text(p.stock), p.sku))
        })
        .collect();
    (rows, labels)
}

/// A JSON string's content, or a number's text as written.
fn number_text(raw: &RawValue) -> String {
    serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_string())
}

fn labels(label: impl Fn(&str) -> String) -> Labels {
    let keys = [
        (Key::Name, "name"),
        (Key::Description, "description"),
        (Key::Brand, "brand"),
        (Key::Category, "category"),
        (Key::Price, "price"),
        (Key::Stock, "stock"),
        (Key::Sku, "sku"),
    ];
    keys.into_iter().map(|(k, n)| (k, label(n))).collect()
}

#[allow(clippy::too_many_arguments)]
fn raw(line: u64, name: String, description: String, brand: String, category: String, price: String, stock: String, sku: Option<String>) -> RawProduct {
    let fallback_sku = fallback_sku(&name, &brand, &category);
    RawProduct { line, name, description, brand, category, price, stock, sku, fallback_sku }
}

/// `SKU-` and 12 hex digits of the SHA-256 of name, brand and category: the same row gets the
/// same SKU in every load.
fn fallback_sku(name: &str, brand: &str, category: &str) -> String {
    let digest = Sha256::digest(format!("{}\0{}\0{}", name.trim(), brand.trim(), category.trim()).as_bytes());
    format!("SKU-{}", &hex::encode(digest)[..12])
}
