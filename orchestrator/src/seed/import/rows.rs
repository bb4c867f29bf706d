//! One product row of a user's file, checked against the limits (datasets/README.md) and then
//! numbered: products in file order from id 1, categories built from their paths.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::price;
use crate::seed::{CategoryRow, ProductRow, RESERVED_PRODUCTS, RESERVED_STOCK};

/// Most characters in a product name.
pub const NAME_MAX: usize = 200;
/// Most characters in a description (after HTML is turned into text).
pub const DESCRIPTION_MAX: usize = 10_000;
/// Most characters in a brand.
pub const BRAND_MAX: usize = 100;
/// Most characters in one category of a path.
pub const CATEGORY_MAX: usize = 100;
/// Most levels in a category path.
pub const CATEGORY_DEPTH_MAX: usize = 6;
/// Most characters in a SKU.
pub const SKU_MAX: usize = 64;
/// Epoch seconds of 2024-01-01T00:00:00Z: product `id` of a file was created `id` seconds after it.
const CREATED_FROM_S: u64 = 1_704_067_200;

/// The fields of a product, whatever a format calls them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Name,
    Description,
    Brand,
    Category,
    Price,
    Stock,
    Sku,
}

/// How a format names each field in errors: `column 2 (Title)` or `field "name"`.
pub type Labels = HashMap<Key, String>;

/// A product as read from a file, before any check.
#[derive(Debug, Clone, Default)]
pub struct RawProduct {
    /// Line of the file the row starts on (1 = the first line).
    pub line: u64,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub category: String,
    pub price: String,
    pub stock: String,
    pub sku: Option<String>,
    /// The SKU the product gets when it has none (deterministic: from the row's content).
    pub fallback_sku: String,
}

/// One reason a row was refused: file, line, column or field, what was expected, what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub expected: String,
    pub got: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: expected {}, got {}", self.file, self.line, self.field, self.expected, self.got)
    }
}

/// A row that passed every check.
#[derive(Debug, Clone)]
pub struct ValidProduct {
    pub line: u64,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub path: Vec<String>,
    pub price_cents: u32,
    pub stock: u32,
    pub sku: Option<String>,
    pub fallback_sku: String,
}

/// Checks `raw` against the limits; the first problem found is the row's error.
pub fn check(raw: RawProduct, labels: &Labels, file: &str) -> Result<ValidProduct, RowError> {
    let error = |key: Key, expected: String, got: &str| RowError {
        file: file.to_string(),
        line: raw.line,
        field: labels.get(&key).cloned().unwrap_or_else(|| format!("{key:?}")),
        expected,
        got: shown(got),
    };
    let name = raw.name.trim();
    text(name, 1, NAME_MAX).map_err(|e| error(Key::Name, e, name))?;
    let description = raw.description.trim();
    text(description, 0, DESCRIPTION_MAX).map_err(|e| error(Key::Description, e, description))?;
    let brand = raw.brand.trim();
    text(brand, 1, BRAND_MAX).map_err(|e| error(Key::Brand, e, brand))?;
    let path = category_path(&raw.category).map_err(|e| error(Key::Category, e, &raw.category))?;
    let price_cents = price::cents(&raw.price).ok_or_else(|| error(Key::Price, price::PRICE_EXPECTED.into(), &raw.price))?;
    let stock = price::stock(&raw.stock).ok_or_else(|| error(Key::Stock, price::STOCK_EXPECTED.into(), &raw.stock))?;
    let sku = raw.sku.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(sku) = sku {
        text(sku, 1, SKU_MAX).map_err(|e| error(Key::Sku, e, sku))?;
    }
    Ok(ValidProduct {
        line: raw.line,
        name: name.to_string(),
        description: description.to_string(),
        brand: brand.to_string(),
        path,
        price_cents,
        stock,
        sku: sku.map(str::to_string),
        fallback_sku: raw.fallback_sku,
    })
}

/// A found value as errors show it: quoted, shortened past 60 characters.
fn shown(value: &str) -> String {
    if value.is_empty() {
        return "nothing".into();
    }
    let short: String = value.chars().take(60).collect();
    let more = if value.chars().count() > 60 { "…" } else { "" };
    format!("{short:?}{more}")
}

fn text(value: &str, min: usize, max: usize) -> Result<(), String> {
    let chars = value.chars().count();
    if value.contains('\0') {
        return Err("text without U+0000 (PostgreSQL text cannot hold it)".into());
    }
    if chars < min || chars > max {
        let lead = if min == 0 { "text" } else { "non-empty text" };
        return Err(format!("{lead} of at most {max} characters ({chars} given)"));
    }
    Ok(())
}

/// `Home > Kitchen > Knives` as its levels, trimmed.
fn category_path(path: &str) -> Result<Vec<String>, String> {
    let levels: Vec<String> = path.split('>').map(|l| l.trim().to_string()).collect();
    let expected = format!("a category path like \"Home > Kitchen > Knives\": 1 to {CATEGORY_DEPTH_MAX} non-empty levels of at most {CATEGORY_MAX} characters");
    let bad = levels.len() > CATEGORY_DEPTH_MAX || levels.iter().any(|l| l.is_empty() || l.chars().count() > CATEGORY_MAX || l.contains('\0'));
    if bad {
        Err(expected)
    } else {
        Ok(levels)
    }
}

/// Refuses a SKU an earlier row already has (SKUs are unique in the schema).
pub fn duplicate_skus(products: &[ValidProduct], labels: &Labels, file: &str) -> Vec<RowError> {
    let mut first_line: HashMap<&str, u64> = HashMap::new();
    let mut errors = Vec::new();
    for p in products {
        let Some(sku) = p.sku.as_deref() else { continue };
        if let Some(line) = first_line.get(sku) {
            let field = labels.get(&Key::Sku).cloned().unwrap_or_default();
            let expected = format!("a SKU no other row has (line {line} has it)");
            errors.push(RowError { file: file.into(), line: p.line, field, expected, got: shown(sku) });
        } else {
            first_line.insert(sku, p.line);
        }
    }
    errors
}

/// Numbers the products in file order from 1 and builds the category tree from their paths
/// (ids in order of first appearance). The first [`RESERVED_PRODUCTS`] products get stock
/// [`RESERVED_STOCK`] (the conformance suite's no-oversell checks use them).
pub fn number(products: Vec<ValidProduct>) -> (Vec<CategoryRow>, Vec<ProductRow>) {
    let mut categories: Vec<CategoryRow> = Vec::new();
    let mut ids: HashMap<(Option<u32>, String), u32> = HashMap::new();
    let mut taken: HashSet<String> = products.iter().filter_map(|p| p.sku.clone()).collect();
    let mut rows = Vec::with_capacity(products.len());
    for (index, p) in products.into_iter().enumerate() {
        let mut parent = None;
        for level in &p.path {
            let next = categories.len() as u32 + 1;
            let id = *ids.entry((parent, level.clone())).or_insert_with(|| {
                categories.push(CategoryRow { id: next, name: level.clone(), parent_id: parent });
                next
            });
            parent = Some(id);
        }
        let id = index as u32 + 1;
        let sku = p.sku.unwrap_or_else(|| unique(&p.fallback_sku, &mut taken));
        let stock = if id <= RESERVED_PRODUCTS { RESERVED_STOCK } else { p.stock };
        let created_at_epoch_s = CREATED_FROM_S + u64::from(id);
        let category_id = parent.unwrap_or(1);
        rows.push(ProductRow {
            id,
            sku,
            name: p.name,
            description: p.description,
            brand: p.brand,
            category_id,
            price_cents: p.price_cents,
            stock,
            created_at_epoch_s,
        });
    }
    (categories, rows)
}

/// `wanted`, or `wanted-2`, `wanted-3`… whichever no product has yet.
fn unique(wanted: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = wanted.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(name: &str, path: &[&str], sku: Option<&str>) -> ValidProduct {
        ValidProduct {
            line: 2,
            name: name.into(),
            description: String::new(),
            brand: "Acme".into(),
            path: path.iter().map(|s| s.to_string()).collect(),
            price_cents: 100,
            stock: 50,
            sku: sku.map(str::to_string),
            fallback_sku: "knife".into(),
        }
    }

    #[test]
    fn categories_are_numbered_by_first_appearance_and_shared_prefixes_are_one_node() {
        let (categories, products) = number(vec![
            valid("a", &["Home", "Kitchen", "Knives"], None),
            valid("b", &["Home", "Bath"], None),
            valid("c", &["Home", "Kitchen", "Knives"], None),
            valid("d", &["Garden"], None),
        ]);
        let tree: Vec<(u32, &str, Option<u32>)> = categories.iter().map(|c| (c.id, c.name.as_str(), c.parent_id)).collect();
        assert_eq!(tree, [(1, "Home", None), (2, "Kitchen", Some(1)), (3, "Knives", Some(2)), (4, "Bath", Some(1)), (5, "Garden", None)]);
        assert_eq!(products.iter().map(|p| p.category_id).collect::<Vec<_>>(), [3, 4, 3, 5]);
    }

    #[test]
    fn missing_skus_are_made_unique_and_the_first_products_are_reserved() {
        let (_, products) = number(vec![valid("a", &["X"], Some("knife")), valid("b", &["X"], None), valid("c", &["X"], None)]);
        assert_eq!(products.iter().map(|p| p.sku.as_str()).collect::<Vec<_>>(), ["knife", "knife-2", "knife-3"]);
        assert!(products.iter().all(|p| p.stock == RESERVED_STOCK));
    }

    #[test]
    fn a_category_path_with_an_empty_level_is_refused() {
        assert_eq!(category_path(" Home >Kitchen "), Ok(vec!["Home".to_string(), "Kitchen".to_string()]));
        assert!(category_path("Home > > Knives").is_err());
        assert!(category_path("").is_err());
    }
}
