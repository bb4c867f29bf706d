//! brand-facet: `GET /products/search?…&facets=brand` adds `brand_counts`, compared with the
//! task's canonical SQL (the search's own matches, grouped by brand) on the same database; the
//! rest of the answer must stay the canonical search page; paging changes no count; a wrong
//! `facets` is 422.

use serde_json::{json, Value};
use tokio_postgres::types::ToSql;

use crate::verify::outcome::GroupOutcome;
use crate::verify::suite::search::{canonical, combinations, Query, MATCHES_SQL};
use crate::verify::suite::Ctx;

pub const GROUP: &str = "brand-facet";

/// Most entries `brand_counts` holds.
const MOST_BRANDS: i64 = 20;

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new(GROUP);
    let mut queries = combinations(ctx.db).await;
    queries.retain(|q| q.offset.unwrap_or(0) <= 100);
    for query in queries.iter().step_by(2) {
        with_counts(ctx, &mut g, query, "").await;
    }
    let page = Query { q: Some("black".into()), limit: Some(5), ..Default::default() };
    let far = Query { offset: Some(10_000), sort: Some("price_desc"), ..page.clone() };
    with_counts(ctx, &mut g, &far, " (an offset past the end and another sort: the same counts, items [])").await;
    let nothing = Query { min_price: Some(5_000), max_price: Some(100), ..Default::default() };
    with_counts(ctx, &mut g, &nothing, " (min_price above max_price: brand_counts [])").await;
    refusals(ctx, &mut g, &page).await;
    g
}

/// The canonical counts for `query`'s matches: count descending, brand in byte order, at most 20.
async fn canonical_counts(db: &tokio_postgres::Client, query: &Query) -> Value {
    let q = query.q.clone().filter(|q| !q.trim_matches([' ', '\t', '\r', '\n']).is_empty());
    let brand = query.brand.clone().filter(|b| !b.is_empty());
    let (subtree, matching) = MATCHES_SQL;
    let sql = format!("{subtree}SELECT p.brand, count(*) {matching}\nGROUP BY p.brand ORDER BY count(*) DESC, p.brand COLLATE \"C\" ASC LIMIT {MOST_BRANDS}");
    let params: [&(dyn ToSql + Sync); 6] = [&q, &query.category, &brand, &query.min_price, &query.max_price, &query.in_stock];
    let rows = db.query(&sql, &params).await.expect("the canonical brand counts run");
    Value::Array(rows.iter().map(|r| json!({"brand": r.get::<_, String>(0), "count": r.get::<_, i64>(1)})).collect())
}

/// `query`'s path with `facets=value` added.
fn with_facets(query: &Query, value: &str) -> String {
    let path = query.path();
    let joiner = if path.ends_with('?') { "" } else { "&" };
    format!("{path}{joiner}facets={value}")
}

async fn with_counts(ctx: &Ctx<'_>, g: &mut GroupOutcome, query: &Query, why: &str) {
    let mut expected = canonical(ctx.db, query).await;
    expected["brand_counts"] = canonical_counts(ctx.db, query).await;
    let path = with_facets(query, "brand");
    let answer = ctx.http.get(&path).await;
    let same = answer.status == 200 && answer.is_json() && answer.json() == expected;
    let mut shown = expected.to_string();
    if shown.len() > 2000 {
        shown = format!("{}…", &shown[..shown.char_indices().nth(2000).map_or(shown.len(), |(i, _)| i)]);
    }
    g.check(format!("search with brand counts{why}: {path}"), same, shown, &answer);
}

async fn refusals(ctx: &Ctx<'_>, g: &mut GroupOutcome, query: &Query) {
    let plain = canonical(ctx.db, query).await;
    for (path, what) in [(with_facets(query, ""), "an empty facets (absent)"), (query.path(), "no facets")] {
        let answer = ctx.http.get(&path).await;
        g.check(
            format!("search with {what} answers today's page, without brand_counts"),
            answer.status == 200 && answer.json() == plain,
            plain.to_string(),
            &answer,
        );
    }
    for value in ["category", "Brand", "brand,category", "brands", "%20brand"] {
        let answer = ctx.http.get(&with_facets(query, value)).await;
        g.expect_error(&format!("search with facets={value}"), &answer, 422, "validation_failed");
    }
    let repeated = format!("{}&facets=brand", with_facets(query, "category"));
    let answer = ctx.http.get(&repeated).await;
    let counted = answer.json()["brand_counts"] == canonical_counts(ctx.db, query).await;
    g.check("facets given twice counts with its last value (brand)", answer.status == 200 && counted, "200 with brand_counts", &answer);
    let limit_wrong = format!("{}&limit=0", with_facets(query, "brand"));
    g.expect_error("facets=brand with limit=0 is still 422", &ctx.http.get(&limit_wrong).await, 422, "validation_failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_join_a_search_path_whatever_it_holds() {
        assert_eq!(with_facets(&Query::default(), "brand"), "/products/search?facets=brand");
        let query = Query { q: Some("oak".into()), ..Default::default() };
        assert_eq!(with_facets(&query, "brand"), "/products/search?q=oak&facets=brand");
    }
}
