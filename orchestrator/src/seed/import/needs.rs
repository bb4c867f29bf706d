//! What the conformance suite (`bakeoff verify`, which `run` starts with) needs from a catalogue
//! besides the reserved products: unreserved products with enough stock to fill its carts and
//! race its checkouts, and one sold out. A file without them is refused before anything starts.

use super::Imported;
use crate::seed::RESERVED_PRODUCTS;

/// (products needed, least stock each, what the suite does with them).
const NEEDS: [(usize, u32, &str); 3] = [
    (1, 100, "the concurrent-checkout check buys up to 100 of one product"),
    (2, 50, "the cart checks put up to 50 of two products in a cart"),
    (4, 20, "the tax check looks for a pair of products with stock 20 whose cart rounds half up"),
];

/// Why the suite cannot run on `imported`, one reason per unmet need (empty: it can).
pub fn unmet(imported: &Imported) -> Vec<String> {
    let unreserved: Vec<u32> = imported.products.iter().filter(|p| p.id > RESERVED_PRODUCTS).map(|p| p.stock).collect();
    let mut reasons = Vec::new();
    for (count, stock, why) in NEEDS {
        let found = unreserved.iter().filter(|&&s| s >= stock).count();
        if found < count {
            reasons.push(format!("{count} product(s) after the first {RESERVED_PRODUCTS} with stock of at least {stock} ({why}); the file has {found}"));
        }
    }
    if !unreserved.contains(&0) {
        reasons.push(format!("a product after the first {RESERVED_PRODUCTS} with stock 0 (the sold-out checks); the file has none"));
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
    }

    #[test]
    fn a_catalogue_without_a_sold_out_or_well_stocked_product_is_named_unfit_for_verify() {
        let shop = super::super::read(&fixture("shopify-products.csv"), true).unwrap();
        let reasons = unmet(&shop);
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].starts_with("1 product(s) after the first 32 with stock of at least 100"), "{reasons:?}");
        assert!(reasons[2].contains("with stock 0 (the sold-out checks); the file has none"), "{reasons:?}");
        assert!(unmet(&super::super::read(&fixture("generic.csv"), false).unwrap()).is_empty());
    }
}
