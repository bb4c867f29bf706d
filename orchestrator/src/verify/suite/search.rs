//! Search: many combinations drawn from the seeded data, each compared item by item (and the
//! bounded `total`) with the canonical SQL of apps/contract/RULES.md run on the same database.

use crate::load::conn::query_value;
use serde_json::{json, Value};
use tokio_postgres::types::ToSql;

use super::Ctx;
use crate::verify::outcome::GroupOutcome;

/// The canonical CTE (RULES.md §3), shared by the page and the total.
macro_rules! subtree {
    () => {
        "WITH RECURSIVE subtree(id) AS (
    SELECT id FROM categories WHERE id = $2::int
    UNION SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id)
"
    };
}

/// The canonical FROM and WHERE clause, shared by the page and the total.
macro_rules! matching {
    () => {
        "FROM products p
WHERE ($1::text IS NULL OR p.search_vector @@ websearch_to_tsquery('english', $1::text))
  AND ($2::int IS NULL OR p.category_id IN (SELECT id FROM subtree))
  AND ($3::text IS NULL OR p.brand = $3::text)
  AND ($4::int IS NULL OR p.price_cents >= $4::int)
  AND ($5::int IS NULL OR p.price_cents <= $5::int)
  AND ($6::boolean IS NULL OR (p.stock > 0) = $6::boolean)"
    };
}

/// The canonical page statement ($7 sort, $8 limit, $9 offset).
const PAGE_SQL: &str = concat!(
    subtree!(),
    "SELECT p.id, p.sku, p.name, p.brand, p.category_id, p.price_cents, p.stock > 0 AS in_stock\n",
    matching!(),
    "
ORDER BY
  CASE WHEN $7::text = 'relevance' THEN ts_rank_cd(p.search_vector, websearch_to_tsquery('english', $1::text)) END DESC,
  CASE WHEN $7::text = 'price_asc' THEN p.price_cents END ASC,
  CASE WHEN $7::text = 'price_desc' THEN p.price_cents END DESC,
  p.id ASC
LIMIT $8::int OFFSET $9::int"
);

/// The canonical bounded count: at most 1001 matches are counted.
const COUNT_SQL: &str = concat!(subtree!(), "SELECT count(*) FROM (SELECT 1 ", matching!(), " LIMIT 1001) AS m");

/// The canonical CTE and FROM … WHERE clause (parameters `$1`–`$6`), for statements built on the
/// same matches (a change task's facet counts).
pub(crate) const MATCHES_SQL: (&str, &str) = (subtree!(), matching!());

/// Matches counted exactly; above this `total` is the bound and `total_exact` false.
const TOTAL_BOUND: i64 = 1000;

/// One search request.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub q: Option<String>,
    pub category: Option<i32>,
    pub brand: Option<String>,
    pub min_price: Option<i32>,
    pub max_price: Option<i32>,
    pub in_stock: Option<bool>,
    pub sort: Option<&'static str>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl Query {
    pub(crate) fn path(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut add = |k, v: Option<String>| v.into_iter().for_each(|v| pairs.push((k, v)));
        add("q", self.q.clone());
        add("category", self.category.map(|v| v.to_string()));
        add("brand", self.brand.clone());
        add("min_price", self.min_price.map(|v| v.to_string()));
        add("max_price", self.max_price.map(|v| v.to_string()));
        add("in_stock", self.in_stock.map(|v| v.to_string()));
        add("sort", self.sort.map(str::to_string));
        add("limit", self.limit.map(|v| v.to_string()));
        add("offset", self.offset.map(|v| v.to_string()));
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", query_value(v))).collect();
        format!("/products/search?{}", query.join("&"))
    }

    fn effective_sort(&self) -> &'static str {
        self.sort.unwrap_or(if self.q.is_some() { "relevance" } else { "price_asc" })
    }
}

/// The canonical answer for `query` (a blank `q` or empty `brand` counts as absent).
pub(crate) async fn canonical(db: &tokio_postgres::Client, query: &Query) -> Value {
    let mut query = query.clone();
    query.q = query.q.filter(|q| !q.trim_matches([' ', '\t', '\r', '\n']).is_empty());
    query.brand = query.brand.filter(|b| !b.is_empty());
    let (limit, offset) = (query.limit.unwrap_or(20), query.offset.unwrap_or(0));
    let sort = query.effective_sort().to_string();
    let filters: [&(dyn ToSql + Sync); 6] = [&query.q, &query.category, &query.brand, &query.min_price, &query.max_price, &query.in_stock];
    let (limit32, offset32) = (limit as i32, offset as i32);
    let page: Vec<&(dyn ToSql + Sync)> = filters.iter().copied().chain([&sort as &(dyn ToSql + Sync), &limit32, &offset32]).collect();
    let rows = db.query(PAGE_SQL, &page).await.expect("the canonical search runs");
    let count_params: Vec<&(dyn ToSql + Sync)> = filters.to_vec();
    let counted: i64 = db.query_one(COUNT_SQL, &count_params).await.expect("the canonical count runs").get(0);
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i32>(0), "sku": r.get::<_, String>(1), "name": r.get::<_, String>(2),
                   "brand": r.get::<_, String>(3), "category_id": r.get::<_, i32>(4),
                   "price_cents": r.get::<_, i32>(5), "in_stock": r.get::<_, bool>(6)})
        })
        .collect();
    let (total, total_exact) = bounded(counted);
    json!({"total": total, "total_exact": total_exact, "limit": limit, "offset": offset, "items": items})
}

/// `total` and `total_exact` from the canonical count (at most 1001).
fn bounded(counted: i64) -> (i64, bool) {
    (counted.min(TOTAL_BOUND), counted <= TOTAL_BOUND)
}

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new("search");
    for query in combinations(ctx.db).await {
        let expected = canonical(ctx.db, &query).await;
        let answer = ctx.http.get(&query.path()).await;
        let same = answer.status == 200 && answer.is_json() && answer.json() == expected;
        g.check(format!("search {}", query.path()), same, short(&expected), &answer);
    }
    g
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 2000 {
        format!("{}…", &text[..2000])
    } else {
        text
    }
}

/// At least 50 combinations of q, filters, sort and pagination drawn from the seeded data.
pub async fn combinations(db: &tokio_postgres::Client) -> Vec<Query> {
    let brands: Vec<String> = db
        .query("SELECT brand FROM products GROUP BY brand ORDER BY count(*) DESC, brand LIMIT 3", &[])
        .await
        .expect("brands")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let department: i32 = db.query_one("SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id LIMIT 1", &[]).await.expect("a department").get(0);
    let leaf: i32 =
        db.query_one("SELECT category_id FROM products GROUP BY category_id ORDER BY count(*) DESC, category_id LIMIT 1", &[]).await.expect("a leaf").get(0);
    let words = ["wireless", "headphones", "oak table", "stainless steel", "black", "portable speaker", "cotton", "pro", "desk", "kids"];
    let special = [
        "\"wireless headphones\"",
        "headphones -wireless",
        "sofa or desk",
        "the and of",
        "zzyzxqq",
        "blender OR toaster -black",
        "l'oréal",
        "100% cotton",
        "'; DROP TABLE products; --",
        "日本語",
    ];
    let mut queries = Vec::new();
    for word in words.iter().chain(special.iter()) {
        queries.push(Query { q: Some(word.to_string()), ..Default::default() });
    }
    for (i, word) in words.iter().enumerate() {
        let sort = ["relevance", "price_asc", "price_desc"][i % 3];
        queries.push(Query { q: Some(word.to_string()), sort: Some(sort), limit: Some(7), offset: Some(7 * (i as i64 % 3)), ..Default::default() });
        queries.push(Query { q: Some(word.to_string()), in_stock: Some(i % 2 == 0), min_price: Some(1000), max_price: Some(20_000), ..Default::default() });
    }
    for brand in &brands {
        queries.push(Query { brand: Some(brand.clone()), ..Default::default() });
        queries.push(Query { brand: Some(brand.clone()), sort: Some("price_desc"), limit: Some(5), ..Default::default() });
    }
    for category in [department, leaf, 999_999] {
        queries.push(Query { category: Some(category), ..Default::default() });
        queries.push(Query { category: Some(category), q: Some("black".into()), in_stock: Some(true), ..Default::default() });
        queries.push(Query { category: Some(category), sort: Some("price_desc"), offset: Some(20), limit: Some(100), ..Default::default() });
    }
    queries.push(Query::default());
    queries.push(Query { limit: Some(100), offset: Some(100), ..Default::default() });
    queries.push(Query { offset: Some(10_000), ..Default::default() });
    queries.push(Query { min_price: Some(5_000), max_price: Some(5_000), ..Default::default() });
    queries.push(Query { min_price: Some(0), max_price: Some(999), sort: Some("price_desc"), ..Default::default() });
    queries.push(Query { in_stock: Some(false), limit: Some(1), ..Default::default() });
    queries.push(Query { q: Some("  ".into()), ..Default::default() });
    queries.push(Query { brand: Some("No Such Brand".into()), ..Default::default() });
    queries.push(Query { sort: Some("relevance"), ..Default::default() });
    queries.push(Query { q: Some(" \t".into()), sort: Some("relevance"), limit: Some(50), offset: Some(30), ..Default::default() });
    queries.push(Query { min_price: Some(5_000), max_price: Some(100), ..Default::default() });
    queries.push(Query { in_stock: Some(true), offset: Some(1_500), ..Default::default() });
    queries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        let query = Query { q: Some("a b&c=\"d\"".into()), limit: Some(5), ..Default::default() };
        assert_eq!(query.path(), "/products/search?q=a%20b%26c%3D%22d%22&limit=5");
    }

    #[test]
    fn the_total_is_exact_up_to_1000_and_bounded_above() {
        assert_eq!(bounded(0), (0, true));
        assert_eq!(bounded(1000), (1000, true));
        assert_eq!(bounded(1001), (1000, false));
    }

    #[test]
    fn the_count_statement_counts_at_most_1001_matches() {
        assert!(COUNT_SQL.contains("SELECT count(*) FROM (SELECT 1 FROM products p") && COUNT_SQL.ends_with("LIMIT 1001) AS m"), "{COUNT_SQL}");
    }

    #[test]
    fn sort_defaults_to_relevance_only_with_q() {
        assert_eq!(Query { q: Some("x".into()), ..Default::default() }.effective_sort(), "relevance");
        assert_eq!(Query::default().effective_sort(), "price_asc");
    }
}
