//! What the generator sends: request mixes drawn from the seeded dataset, deterministic per seed.

use crate::load::conn::query_value;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::seed::rng::{Draw, Zipf};
use crate::seed::RESERVED_PRODUCTS;

/// The purpose of the draws of open-model requests ([`Workload::request`]); stream `j` is
/// request `j`'s.
const REQUEST_PURPOSE: u64 = 1_000;

/// The workloads a bake-off runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadKind {
    /// Product search: Zipf-popular terms, filters, sorts, later pages, some misses.
    Search,
    /// The buying funnel: create a cart, add 1–3 popular products, check out with a key.
    Checkout,
    /// A shopping session mix: mostly search and product views, some carts, few checkouts.
    Mixed,
    /// One fixed path (the generator's own benchmark).
    Fixed,
}

impl WorkloadKind {
    /// The name used in configuration, results and file names.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Search => "search",
            WorkloadKind::Checkout => "checkout",
            WorkloadKind::Mixed => "mixed",
            WorkloadKind::Fixed => "fixed",
        }
    }
}

/// Shares of the mixed workload (they need not sum to 1; they are weights).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MixShares {
    pub search: f64,
    pub product_view: f64,
    pub add_to_cart: f64,
    pub checkout: f64,
}

/// What the catalogue offers the workload.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Highest product id (ids 1..=reserved are never touched).
    pub products: u32,
    /// Brands, most products first.
    pub brands: Vec<String>,
    pub categories: Vec<i32>,
    /// Search terms, most frequent first: a catalogue file's own words (empty: the generator's
    /// word list, the generated catalogue's vocabulary).
    pub terms: Vec<String>,
    /// A search log to replay instead of drawing terms (`--queries`).
    pub queries: Option<std::sync::Arc<crate::load::queries::QueryLog>>,
}

/// One arrival's work.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Get(std::borrow::Cow<'static, str>),
    /// POST /carts, then add each `(product, quantity)`.
    AddToCart(Vec<(u32, u32)>),
    /// AddToCart, then POST /checkout with this Idempotency-Key.
    Checkout(Vec<(u32, u32)>, String),
}

/// A workload, ready to draw actions from.
pub struct Workload {
    pub kind: WorkloadKind,
    catalogue: Catalogue,
    shares: MixShares,
    fixed_path: &'static str,
    terms: Vec<String>,
    term_zipf: Zipf,
    product_zipf: Zipf,
    brand_zipf: Zipf,
}

impl Workload {
    pub fn new(kind: WorkloadKind, catalogue: Catalogue, shares: MixShares) -> Workload {
        let terms = if catalogue.terms.is_empty() { crate::seed::search_terms().into_iter().map(str::to_string).collect() } else { catalogue.terms.clone() };
        let sellable = (catalogue.products.saturating_sub(RESERVED_PRODUCTS)).max(1) as usize;
        Workload {
            kind,
            term_zipf: Zipf::new(terms.len(), 1.0),
            product_zipf: Zipf::new(sellable.min(100_000), 1.0),
            brand_zipf: Zipf::new(catalogue.brands.len().max(1), 1.1),
            terms,
            catalogue,
            shares,
            fixed_path: "/",
        }
    }

    /// A workload that sends `GET path` only.
    pub fn fixed(path: &str) -> Workload {
        let catalogue = Catalogue { products: RESERVED_PRODUCTS + 1, ..Default::default() };
        let shares = MixShares { search: 1.0, product_view: 0.0, add_to_cart: 0.0, checkout: 0.0 };
        // Leaked once per workload, so that every request can borrow it instead of copying it.
        let fixed_path: &'static str = Box::leak(path.to_string().into_boxed_str());
        Workload { fixed_path, ..Workload::new(WorkloadKind::Fixed, catalogue, shares) }
    }

    /// The action of request `j` of a run with `seed`: a function of the two alone, so request
    /// `j` is the same whichever load thread or generator sends it (its idempotency key is
    /// `<key_prefix>-<j>`).
    pub fn request(&self, seed: u64, j: u64, key_prefix: &str) -> Action {
        let mut draw = Draw::stream(seed, REQUEST_PURPOSE, j);
        self.action(&mut draw, || format!("{key_prefix}-{j}"))
    }

    /// The action of one arrival; `key` makes its idempotency key (called only for checkouts).
    pub fn action(&self, draw: &mut Draw, key: impl FnOnce() -> String) -> Action {
        match self.kind {
            WorkloadKind::Fixed => Action::Get(self.fixed_path.into()),
            WorkloadKind::Search => Action::Get(self.search(draw).into()),
            WorkloadKind::Checkout => Action::Checkout(self.basket(draw), key()),
            WorkloadKind::Mixed => self.mixed(draw, key),
        }
    }

    fn mixed(&self, draw: &mut Draw, key: impl FnOnce() -> String) -> Action {
        let s = &self.shares;
        let total = s.search + s.product_view + s.add_to_cart + s.checkout;
        let x = draw.unit() * total;
        if x < s.search {
            Action::Get(self.search(draw).into())
        } else if x < s.search + s.product_view {
            Action::Get(format!("/products/{}", self.popular_product(draw)).into())
        } else if x < s.search + s.product_view + s.add_to_cart {
            Action::AddToCart(self.basket(draw))
        } else {
            Action::Checkout(self.basket(draw), key())
        }
    }

    /// A popular, unreserved product id.
    fn popular_product(&self, draw: &mut Draw) -> u32 {
        let sellable = self.catalogue.products - RESERVED_PRODUCTS;
        let rank = self.product_zipf.sample(draw) as u64;
        RESERVED_PRODUCTS + 1 + ((rank * 7_919) % u64::from(sellable)) as u32
    }

    fn basket(&self, draw: &mut Draw) -> Vec<(u32, u32)> {
        let mut lines: Vec<(u32, u32)> = Vec::new();
        for _ in 0..draw.between(1, 3) {
            let product = self.popular_product(draw);
            if !lines.iter().any(|(p, _)| *p == product) {
                lines.push((product, draw.between(1, 2) as u32));
            }
        }
        lines
    }

    /// A search path: a popular term (10 % none, 5 % a miss), filters, sort and page.
    fn search(&self, draw: &mut Draw) -> String {
        let mut params: Vec<String> = Vec::new();
        match draw.below(100) {
            _ if self.catalogue.queries.is_some() => {
                let log = self.catalogue.queries.as_deref().expect("checked");
                params.push(format!("q={}", query_value(log.draw(draw))));
            }
            0..=9 => {}
            10..=14 => params.push(format!("q=zqx{}", draw.below(1000))),
            15..=34 => {
                let (a, b) = (self.term(draw), self.term(draw));
                params.push(format!("q={}+{}", query_value(a), query_value(b)));
            }
            _ => params.push(format!("q={}", query_value(self.term(draw)))),
        }
        if draw.chance(0.2) && !self.catalogue.categories.is_empty() {
            params.push(format!("category={}", draw.pick(&self.catalogue.categories)));
        }
        if draw.chance(0.1) && !self.catalogue.brands.is_empty() {
            params.push(format!("brand={}", query_value(&self.catalogue.brands[self.brand_zipf.sample(draw)])));
        }
        if draw.chance(0.15) {
            let low = draw.between(5, 50) * 100;
            params.push(format!("min_price={low}&max_price={}", low * draw.between(2, 10)));
        }
        if draw.chance(0.2) {
            params.push("in_stock=true".into());
        }
        match draw.below(100) {
            0..=14 => params.push("sort=price_asc".into()),
            15..=29 => params.push("sort=price_desc".into()),
            _ => {}
        }
        if draw.chance(0.15) {
            params.push(format!("offset={}", 20 * draw.between(1, 3)));
        }
        format!("/products/search?{}", params.join("&"))
    }

    fn term(&self, draw: &mut Draw) -> &str {
        &self.terms[self.term_zipf.sample(draw)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue { products: 1000, brands: vec!["Acme Home".into(), "Borel".into()], categories: vec![1, 2, 3], ..Default::default() }
    }

    fn query_of(action: &Action) -> Option<String> {
        let Action::Get(path) = action else { return None };
        let q = path.split(['?', '&']).find_map(|p| p.strip_prefix("q="))?;
        Some(percent_encoding::percent_decode_str(q).decode_utf8_lossy().replace('+', " "))
    }

    #[test]
    fn searches_use_the_catalogue_s_own_terms_when_it_has_them() {
        let own = Catalogue { terms: vec!["knife".into(), "napkin".into()], ..catalogue() };
        let w = Workload::new(WorkloadKind::Search, own, shares());
        let mut d = Draw::new(4, 0);
        for _ in 0..500 {
            let Some(q) = query_of(&w.action(&mut d, String::new)) else { continue };
            assert!(q.starts_with("zqx") || q.split(' ').all(|t| t == "knife" || t == "napkin"), "{q}");
        }
    }

    #[test]
    fn with_a_query_log_every_search_replays_a_logged_query_with_filters_as_configured() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries.tsv");
        let log = std::sync::Arc::new(crate::load::queries::QueryLog::read(&path).unwrap());
        let w = Workload::new(WorkloadKind::Search, Catalogue { queries: Some(log), ..catalogue() }, shares());
        let mut d = Draw::new(8, 0);
        let actions: Vec<Action> = (0..2_000).map(|_| w.action(&mut d, String::new)).collect();
        let queries: Vec<String> = actions.iter().filter_map(query_of).collect();
        assert_eq!(queries.len(), 2_000, "every search has a q from the log");
        assert!(queries.iter().all(|q| ["chef knife", "linen napkin", "stoneware mug", "organic tee"].contains(&q.as_str())));
        let knives = queries.iter().filter(|q| *q == "chef knife").count();
        assert!((1_350..1_570).contains(&knives), "120 of 164 ≈ 73 %: {knives}");
        let filtered = actions.iter().filter(|a| matches!(a, Action::Get(p) if p.contains("category=") || p.contains("offset="))).count();
        assert!(filtered > 300, "filters and paging still apply: {filtered}");
    }

    fn shares() -> MixShares {
        MixShares { search: 0.6, product_view: 0.3, add_to_cart: 0.07, checkout: 0.03 }
    }

    #[test]
    fn names_match_the_serialised_form() {
        for kind in [WorkloadKind::Search, WorkloadKind::Checkout, WorkloadKind::Mixed, WorkloadKind::Fixed] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_requests() {
        let w = Workload::new(WorkloadKind::Mixed, catalogue(), shares());
        let draw = |seed| {
            let mut d = Draw::new(seed, 9);
            (0..50).map(|i| w.action(&mut d, || i.to_string())).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn a_request_is_a_function_of_the_seed_and_its_number_alone() {
        let w = Workload::new(WorkloadKind::Mixed, catalogue(), shares());
        let forward: Vec<Action> = (0..200).map(|j| w.request(7, j, "k")).collect();
        let backward: Vec<Action> = (0..200).rev().map(|j| w.request(7, j, "k")).collect();
        assert!(forward.iter().eq(backward.iter().rev()), "the order of drawing changes nothing");
        assert!(forward.windows(2).any(|p| p[0] != p[1]), "requests differ from one another");
        assert_ne!(forward, (0..200).map(|j| w.request(8, j, "k")).collect::<Vec<_>>(), "another seed, other requests");
    }

    #[test]
    fn the_mixed_workload_follows_its_shares() {
        let w = Workload::new(WorkloadKind::Mixed, catalogue(), shares());
        let mut d = Draw::new(5, 0);
        let actions: Vec<Action> = (0..10_000).map(|i| w.action(&mut d, || i.to_string())).collect();
        let searches = actions.iter().filter(|a| matches!(a, Action::Get(p) if p.starts_with("/products/search"))).count();
        let checkouts = actions.iter().filter(|a| matches!(a, Action::Checkout(..))).count();
        assert!((5_700..6_300).contains(&searches), "{searches} searches");
        assert!((200..400).contains(&checkouts), "{checkouts} checkouts");
    }

    #[test]
    fn reserved_products_are_never_touched() {
        let w = Workload::new(WorkloadKind::Checkout, catalogue(), shares());
        let mut d = Draw::new(3, 0);
        for i in 0..2_000 {
            let Action::Checkout(lines, _) = w.action(&mut d, || i.to_string()) else { panic!() };
            assert!(lines.iter().all(|(p, q)| *p > RESERVED_PRODUCTS && *p <= 1000 && (1..=2).contains(q)));
        }
    }
}
