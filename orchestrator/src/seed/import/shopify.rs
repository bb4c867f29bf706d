//! Shopify's product CSV export: one row per variant (the first row of a handle carries the
//! product's title, body, vendor and category; the rows after it only the variant's options,
//! SKU, price and inventory), plus image-only rows. Every variant becomes a product.

use super::columns::Columns;
use super::rows::{Key, Labels, RawProduct, RowError};
use super::ImportError;

/// Columns a Shopify export must have.
const REQUIRED: [&str; 6] = ["Handle", "Title", "Body (HTML)", "Vendor", "Variant Price", "Variant Inventory Qty"];
/// The category when a product has neither a Product Category nor a Type.
pub const UNCATEGORISED: &str = "Uncategorized";

/// True when `header` looks like a Shopify product export.
pub fn recognises(header: &csv::StringRecord) -> bool {
    header.iter().any(|h| h == "Handle") && header.iter().any(|h| h == "Variant Price")
}

/// The product the rows of one handle share.
struct Parent {
    handle: String,
    title: String,
    description: String,
    vendor: String,
    category: String,
    variants: u32,
}

/// Every variant of `data` as a raw product (or the reason its row cannot be one).
pub fn read(file: &str, data: &[u8]) -> Result<(Vec<Result<RawProduct, RowError>>, Labels), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let columns = Columns::new(file, "Shopify product CSV", reader.headers().map_err(|e| super::csv_error(file, e))?.clone(), &REQUIRED)?;
    let category_column = if columns.has("Product Category") { "Product Category" } else { "Type" };
    let labels = Labels::from([
        (Key::Name, columns.label("Title")),
        (Key::Description, columns.label("Body (HTML)")),
        (Key::Brand, columns.label("Vendor")),
        (Key::Category, columns.label(category_column)),
        (Key::Price, columns.label("Variant Price")),
        (Key::Stock, columns.label("Variant Inventory Qty")),
        (Key::Sku, columns.label("Variant SKU")),
    ]);
    let mut parent: Option<Parent> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| super::csv_error(file, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| columns.get(&record, name).to_string();
        let handle = get("Handle");
        if !get("Title").trim().is_empty() {
            parent = Some(Parent {
                handle: handle.clone(),
                title: get("Title"),
                description: super::html_to_text(&get("Body (HTML)")),
                vendor: get("Vendor"),
                category: category(&get("Product Category"), &get("Type")),
                variants: 0,
            });
        } else if get("Variant Price").trim().is_empty() && get("Variant SKU").trim().is_empty() {
            continue; // an image-only row
        }
        let Some(p) = parent.as_mut().filter(|p| p.handle == handle) else {
            let expected = format!("a title: the first row of handle {handle:?} must carry the product's title, body, vendor and category");
            rows.push(Err(RowError { file: file.into(), line, field: columns.label("Title"), expected, got: "nothing".into() }));
            continue;
        };
        p.variants += 1;
        rows.push(Ok(variant(p, line, &get)));
    }
    Ok((rows, labels))
}

/// The product category path, else the type, else [`UNCATEGORISED`].
fn category(product_category: &str, kind: &str) -> String {
    [product_category, kind].into_iter().map(str::trim).find(|c| !c.is_empty()).unwrap_or(UNCATEGORISED).to_string()
}

/// A variant: its parent's title with the option values (unless the only option is Shopify's
/// "Default Title"), its own SKU, price and inventory.
fn variant(parent: &Parent, line: u64, get: &dyn Fn(&str) -> String) -> RawProduct {
    let options: Vec<String> = ["Option1 Value", "Option2 Value", "Option3 Value"]
        .iter()
        .map(|c| get(c).trim().to_string())
        .filter(|v| !v.is_empty() && v != "Default Title")
        .collect();
    let name = if options.is_empty() { parent.title.trim().to_string() } else { format!("{} - {}", parent.title.trim(), options.join(" / ")) };
    RawProduct {
        line,
        name,
        description: parent.description.clone(),
        brand: parent.vendor.clone(),
        category: parent.category.clone(),
        price: get("Variant Price"),
        stock: get("Variant Inventory Qty"),
        sku: Some(get("Variant SKU")),
        fallback_sku: format!("{}-{}", parent.handle, parent.variants),
    }
}
