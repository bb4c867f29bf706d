//! The import against the fixture files in tests/fixtures/ (written for these tests).

use std::path::PathBuf;

use super::*;
use crate::seed::RESERVED_STOCK;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[test]
fn a_shopify_export_with_a_broken_row_is_refused_naming_file_line_and_column() {
    let path = fixture("shopify-products.csv");
    let error = read(&path, false).unwrap_err().to_string();
    let expected = format!(
        "{}: 1 invalid row(s); the first 1:\n  {}:14: column 21 (Variant Price): expected a price above 0 like 19.99 (digits, at most 2 decimals, at most 21474836.47), got \"12.999\"\nfix them, or pass --skip-invalid to load the other rows",
        shown(&path),
        shown(&path)
    );
    assert_eq!(error, expected);
}

#[test]
fn shopify_variants_become_products_with_exact_cents_text_bodies_and_generated_skus() {
    let imported = read(&fixture("shopify-products.csv"), true).unwrap();
    assert_eq!((imported.format, imported.file.as_str()), (Format::Shopify, "shopify-products.csv"));
    assert_eq!(imported.products.len(), 35, "3 knives, 6 tees, a mug and 25 napkin sets; the lamp is skipped");
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].line, 14);
    let p = &imported.products;
    let names: Vec<&str> = p[..4].iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Chef's Knife - 6 inch", "Chef's Knife - 8 inch", "Chef's Knife - 10 inch", "Organic Tee - S / Black"]);
    assert_eq!(p[..3].iter().map(|p| p.price_cents).collect::<Vec<_>>(), [4900, 5950, 6999]);
    assert_eq!(p[..5].iter().map(|p| p.sku.as_str()).collect::<Vec<_>>(), ["KN-6", "chef-knife-2", "KN-10", "tee-1", "tee-2"]);
    assert_eq!(p[0].description, "Forged VG-10 steel & walnut. * Full tang * Hand wash");
    assert_eq!((p[0].brand.as_str(), p[9].name.as_str(), p[9].price_cents), ("Kiri", "Stoneware Mug", 1200));
    assert!(p[..32].iter().all(|p| p.stock == RESERVED_STOCK), "ids 1–32 are reserved with stock 10");
    assert_eq!(p[32..].iter().map(|p| (p.id, p.stock, p.price_cents)).collect::<Vec<_>>(), [(33, 69, 2323), (34, 72, 2424), (35, 75, 2525)]);
}

#[test]
fn shopify_categories_form_a_tree_in_order_of_first_appearance_without_skipped_rows() {
    let imported = read(&fixture("shopify-products.csv"), true).unwrap();
    let tree: Vec<(u32, &str, Option<u32>)> = imported.categories.iter().map(|c| (c.id, c.name.as_str(), c.parent_id)).collect();
    assert_eq!(
        tree,
        [
            (1, "Home & Garden", None),
            (2, "Kitchen & Dining", Some(1)),
            (3, "Kitchen Knives", Some(2)),
            (4, "Apparel & Accessories", None),
            (5, "Clothing", Some(4)),
            (6, "Shirts & Tops", Some(5)),
            (7, "Tableware", Some(2)),
            (8, "Drinkware", Some(7)),
            (9, "Table Linens", Some(2)),
            (10, "Decor", Some(1)),
            (11, "Textiles", None),
            (12, "Uncategorized", None),
        ]
    );
    let p = &imported.products;
    assert_eq!((p[0].category_id, p[3].category_id, p[9].category_id, p[12].category_id, p[34].category_id), (3, 6, 8, 11, 12));
}

#[test]
fn the_generic_csv_loads_every_row_with_quotes_cents_and_deterministic_skus() {
    let imported = read(&fixture("generic.csv"), false).unwrap();
    assert_eq!((imported.format, imported.products.len(), imported.categories.len()), (Format::Csv, 40, 7));
    let p = &imported.products;
    assert_eq!(p[0].description, "A sturdy knife, \"pro\" grade, model 1");
    assert_eq!((p[0].price_cents, p[1].price_cents, p[39].price_cents), (207, 414, 8080));
    assert_eq!(p[0].sku, "G-001");
    assert!(p[4].sku.starts_with("SKU-") && p[4].sku.len() == 16, "{}", p[4].sku);
    assert_eq!(read(&fixture("generic.csv"), false).unwrap().products[4].sku, p[4].sku, "the same row gets the same SKU");
    assert_eq!((p[39].stock, p[39].category_id), (0, 7));
}

#[test]
fn json_lines_read_prices_from_strings_and_numbers_without_floats() {
    let imported = read(&fixture("products.jsonl"), false).unwrap();
    assert_eq!((imported.format, imported.products.len(), imported.categories.len()), (Format::JsonLines, 34, 3));
    let p = &imported.products;
    assert_eq!(p[..3].iter().map(|p| p.price_cents).collect::<Vec<_>>(), [150, 2025, 350]);
    assert_eq!((p[0].description.as_str(), p[1].description.as_str()), ("Hand thrown", ""));
    assert_eq!(p[3].sku, "VASE-4");
}

#[test]
fn many_invalid_rows_give_the_count_and_the_first_ten_reasons() {
    let path = fixture("invalid-rows.csv");
    let error = read(&path, false).unwrap_err().to_string();
    let f = shown(&path);
    assert!(error.starts_with(&format!("{f}: 12 invalid row(s); the first 10:\n")), "{error}");
    let reasons: Vec<&str> = error.lines().skip(1).take(10).map(str::trim).collect();
    assert_eq!(reasons[0], format!("{f}:3: column 1 (name): expected non-empty text of at most 200 characters (0 given), got nothing"));
    assert!(reasons[1].starts_with(&format!("{f}:5: column 4 (price): expected a price above 0")) && reasons[1].ends_with("got \"19.999\""), "{}", reasons[1]);
    assert!(reasons[3].ends_with("got \"0\""), "{}", reasons[3]);
    assert!(reasons[4].ends_with("got \"99999999\""), "{}", reasons[4]);
    assert_eq!(reasons[5], format!("{f}:13: column 5 (stock): expected a whole number of items from 0 to 2147483647, got \"-2\""));
    assert!(reasons[7].contains(":17: column 3 (category): expected a category path like"), "{}", reasons[7]);
    assert!(!error.contains(":23:"), "the eleventh reason is not shown: {error}");
    let loaded = read(&path, true).unwrap();
    assert_eq!((loaded.products.len(), loaded.skipped.len()), (40, 12));
}

#[test]
fn a_file_without_the_needed_columns_says_which_are_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("items.csv");
    std::fs::write(&path, "title,cost\nPan,1.00\n").unwrap();
    let error = read(&path, false).unwrap_err().to_string();
    assert_eq!(
        error,
        format!("{}: a generic CSV file needs the columns name, brand, category, price, stock in its header line; it has: title, cost", path.display())
    );
}

#[test]
fn a_json_line_that_is_not_an_object_of_the_format_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.jsonl");
    std::fs::write(&path, "{\"name\": \"Pan\", \"brand\": \"A\", \"category\": \"K\", \"price\": 1e3, \"stock\": 1}\n{\"name\": \"Pan\"}\n").unwrap();
    let error = read(&path, false).unwrap_err().to_string();
    assert!(error.contains("2 invalid row(s)"), "{error}");
    assert!(error.contains(":1: field \"price\": expected a price above 0"), "{error}");
    assert!(error.contains(":2: column 15: expected a JSON object with name, brand, category, price, stock"), "{error}");
    assert!(error.contains("missing field `brand`"), "{error}");
}

#[test]
fn too_few_valid_products_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.csv");
    std::fs::write(&path, "name,brand,category,price,stock\nPan,A,K,1.00,1\n").unwrap();
    let error = read(&path, false).unwrap_err().to_string();
    assert!(error.contains("1 valid product(s), but a catalogue needs at least 33"), "{error}");
}
