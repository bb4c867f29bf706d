//! The catalogue generator: categories, brands and products, drawn deterministically from a seed.

use std::collections::HashSet;

use super::rng::{Draw, Zipf};
use super::vocab::{self, DEPARTMENTS};

/// Products with ids `1..=RESERVED_PRODUCTS` get stock 10 and are kept out of load workloads:
/// conformance checks (no oversell) use them.
pub const RESERVED_PRODUCTS: u32 = 32;
/// Stock of every reserved product.
pub const RESERVED_STOCK: u32 = 10;

/// Epoch seconds of 2024-01-01T00:00:00Z; products were created in the two years after it.
const CREATED_FROM_S: u64 = 1_704_067_200;
const CREATED_SPAN_S: u64 = 2 * 365 * 86_400;

/// One row of `categories`.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    pub id: u32,
    pub name: String,
    pub parent_id: Option<u32>,
}

/// One row of `products` (without the generated `search_vector`).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub id: u32,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub category_id: u32,
    pub price_cents: u32,
    pub stock: u32,
    pub created_at_epoch_s: u64,
}

/// A leaf category products are placed in.
struct Leaf {
    id: u32,
    department: usize,
    noun: &'static str,
}

/// Everything needed to draw products one after another.
pub struct Catalog {
    pub categories: Vec<CategoryRow>,
    pub brands: Vec<String>,
    leaves: Vec<Leaf>,
    leaf_zipf: Zipf,
    /// Brand indexes per department, most popular first.
    department_brands: Vec<Vec<usize>>,
    department_zipf: Vec<Zipf>,
    brand_zipf: Zipf,
    draw: Draw,
}

impl Catalog {
    /// The catalogue for `products` products and `seed`.
    pub fn new(products: u64, seed: u64) -> Catalog {
        let (categories, mut leaves) = categories();
        Draw::new(seed, 1).shuffle(&mut leaves);
        let brands = brands(brand_count(products), &mut Draw::new(seed, 2));
        let department_brands = split_brands(brands.len());
        let department_zipf = department_brands.iter().map(|b| Zipf::new(b.len(), 1.1)).collect();
        Catalog {
            categories,
            leaf_zipf: Zipf::new(leaves.len(), 0.9),
            leaves,
            brand_zipf: Zipf::new(brands.len(), 1.1),
            brands,
            department_brands,
            department_zipf,
            draw: Draw::new(seed, 3),
        }
    }

    /// The product with id `id`; call with ids 1, 2, 3… in order.
    pub fn product(&mut self, id: u32) -> ProductRow {
        let leaf = &self.leaves[self.leaf_zipf.sample(&mut self.draw)];
        let (department, noun, category_id) = (leaf.department, leaf.noun, leaf.id);
        let brand = self.brand_for(department);
        let name = self.name(&brand, noun);
        let description = self.description(noun);
        let price_cents = self.price_cents(DEPARTMENTS[department].median_price_usd);
        let stock = if id <= RESERVED_PRODUCTS { RESERVED_STOCK } else { self.stock() };
        ProductRow {
            id,
            sku: format!("{}-{id:07}", DEPARTMENTS[department].code),
            name,
            description,
            brand,
            category_id,
            price_cents,
            stock,
            created_at_epoch_s: CREATED_FROM_S + self.draw.below(CREATED_SPAN_S),
        }
    }

    /// Most products come from a brand that specialises in the department; some from anyone.
    fn brand_for(&mut self, department: usize) -> String {
        let index = if self.draw.chance(0.85) {
            self.department_brands[department][self.department_zipf[department].sample(&mut self.draw)]
        } else {
            self.brand_zipf.sample(&mut self.draw)
        };
        self.brands[index].clone()
    }

    fn name(&mut self, brand: &str, noun: &str) -> String {
        let d = &mut self.draw;
        let mut words = vec![brand.to_string(), d.pick(vocab::ATTRIBUTES).to_string()];
        if d.chance(0.3) {
            words.push(title_case(d.pick::<&str>(vocab::MATERIALS)));
        }
        words.push(title_case(noun));
        let model = format!("{}{}-{}", letter(d), letter(d), d.between(100, 9999));
        words.push(model);
        let mut name = words.join(" ");
        if d.chance(0.6) {
            name.push_str(", ");
            name.push_str(d.pick::<&str>(vocab::COLOURS));
        }
        name
    }

    fn description(&mut self, noun: &str) -> String {
        let d = &mut self.draw;
        let count = d.between(2, 4) as usize;
        let mut picked: Vec<usize> = Vec::with_capacity(count);
        while picked.len() < count {
            let i = d.below(vocab::SENTENCES.len() as u64) as usize;
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        let sentences: Vec<String> = picked
            .into_iter()
            .map(|i| {
                vocab::SENTENCES[i]
                    .replace("{noun}", noun)
                    .replace("{material}", d.pick::<&str>(vocab::MATERIALS))
                    .replace("{feature2}", d.pick::<&str>(vocab::FEATURES))
                    .replace("{feature}", d.pick::<&str>(vocab::FEATURES))
                    .replace("{use}", d.pick::<&str>(vocab::USES))
                    .replace("{colour}", &d.pick(vocab::COLOURS).to_lowercase())
            })
            .collect();
        sentences.join(" ")
    }

    /// Log-normal around the department's median, with retail endings (.99, .49, .00).
    fn price_cents(&mut self, median_usd: f64) -> u32 {
        let d = &mut self.draw;
        let dollars = median_usd * libm::exp(0.75 * d.normal());
        let whole = libm::floor(dollars).clamp(0.0, 99_999.0) as u32;
        let ending = match d.below(100) {
            0..=64 => 99,
            65..=84 => 49,
            _ => 0,
        };
        (whole * 100 + ending).max(99)
    }

    /// Out of stock 6 %, scarce (1–5) 12 %, low (6–20) 12 %, otherwise exponential around 150.
    fn stock(&mut self) -> u32 {
        let d = &mut self.draw;
        match d.below(100) {
            0..=5 => 0,
            6..=17 => d.between(1, 5) as u32,
            18..=29 => d.between(6, 20) as u32,
            _ => 21 + (d.exponential(130.0) as u32).min(4_979),
        }
    }
}

/// How many brands a catalogue of `products` products has: a few thousand at full scale.
pub fn brand_count(products: u64) -> usize {
    (products / 40).clamp(50, 2_500) as usize
}

/// The category tree: departments, their categories and the leaves, numbered breadth-first.
fn categories() -> (Vec<CategoryRow>, Vec<Leaf>) {
    let mut rows = Vec::new();
    let mut next_id = 1u32;
    let mut department_ids = Vec::new();
    for department in DEPARTMENTS {
        rows.push(CategoryRow { id: next_id, name: department.name.to_string(), parent_id: None });
        department_ids.push(next_id);
        next_id += 1;
    }
    let mut category_ids = Vec::new();
    for (d, department) in DEPARTMENTS.iter().enumerate() {
        for category in department.categories {
            rows.push(CategoryRow { id: next_id, name: category.name.to_string(), parent_id: Some(department_ids[d]) });
            category_ids.push((d, next_id, category));
            next_id += 1;
        }
    }
    let mut leaves = Vec::new();
    for (d, parent, category) in category_ids {
        for (leaf_name, noun) in category.leaves {
            rows.push(CategoryRow { id: next_id, name: leaf_name.to_string(), parent_id: Some(parent) });
            leaves.push(Leaf { id: next_id, department: d, noun });
            next_id += 1;
        }
    }
    (rows, leaves)
}

/// `count` distinct invented brand names.
fn brands(count: usize, draw: &mut Draw) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut names = Vec::with_capacity(count);
    while names.len() < count {
        let syllables = draw.between(2, 3);
        let stem: String = (0..syllables).map(|_| *draw.pick(vocab::BRAND_SYLLABLES)).collect();
        let suffix = draw.pick(vocab::BRAND_SUFFIXES);
        let name = if suffix.is_empty() { title_case(&stem) } else { format!("{} {suffix}", title_case(&stem)) };
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

/// Brands deal round-robin to departments, so each department has its own popular brands.
fn split_brands(count: usize) -> Vec<Vec<usize>> {
    let mut split = vec![Vec::new(); DEPARTMENTS.len()];
    for brand in 0..count {
        split[brand % DEPARTMENTS.len()].push(brand);
    }
    split
}

fn letter(draw: &mut Draw) -> char {
    (b'A' + draw.below(26) as u8) as char
}

fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_category_tree_has_a_few_hundred_nodes_under_twelve_departments() {
        let (rows, leaves) = categories();
        assert!((250..=400).contains(&rows.len()), "{} categories", rows.len());
        assert_eq!(rows.iter().filter(|r| r.parent_id.is_none()).count(), DEPARTMENTS.len());
        assert!(leaves.len() > 200);
        let ids: HashSet<u32> = rows.iter().map(|r| r.id).collect();
        assert!(rows.iter().all(|r| r.parent_id.is_none_or(|p| ids.contains(&p) && p < r.id)));
    }

    #[test]
    fn brand_names_are_distinct_and_a_few_thousand_at_full_scale() {
        assert_eq!(brand_count(100_000), 2_500);
        let names = brands(2_500, &mut Draw::new(42, 2));
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), 2_500);
    }

    #[test]
    fn reserved_products_have_stock_ten_and_prices_are_positive() {
        let mut catalog = Catalog::new(2_000, 42);
        let rows: Vec<ProductRow> = (1..=2_000).map(|id| catalog.product(id)).collect();
        assert!(rows[..RESERVED_PRODUCTS as usize].iter().all(|p| p.stock == RESERVED_STOCK));
        assert!(rows.iter().all(|p| p.price_cents > 0));
        let out_of_stock = rows.iter().filter(|p| p.stock == 0).count();
        assert!((40..=200).contains(&out_of_stock), "{out_of_stock} out of stock");
    }

    #[test]
    fn brand_sizes_are_skewed() {
        let mut catalog = Catalog::new(20_000, 42);
        let mut counts = std::collections::HashMap::<String, u32>::new();
        for id in 1..=20_000 {
            *counts.entry(catalog.product(id).brand).or_default() += 1;
        }
        let mut sizes: Vec<u32> = counts.into_values().collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        assert!(sizes[0] > 20 * sizes[sizes.len() / 2], "largest {} vs median {}", sizes[0], sizes[sizes.len() / 2]);
    }

    #[test]
    fn prices_have_a_long_right_tail() {
        let mut catalog = Catalog::new(10_000, 42);
        let mut prices: Vec<u32> = (1..=10_000).map(|id| catalog.product(id).price_cents).collect();
        prices.sort_unstable();
        let (median, p99) = (prices[5_000], prices[9_900]);
        assert!(p99 > 4 * median, "median {median}, p99 {p99}");
    }
}
