//! order-history: `GET /orders?email=…` pages one customer's orders newest first, compared with
//! the task's canonical SQL on the same database; the bounded total past 1,000 orders; and every
//! wrong parameter is 422, like search's.

use serde_json::{json, Value};

use super::short_tag;
use crate::load::conn::query_value;
use crate::verify::outcome::GroupOutcome;
use crate::verify::suite::Ctx;

pub const GROUP: &str = "order-history";

/// The task's canonical page ($1 email, $2 limit, $3 offset).
const PAGE_SQL: &str = "SELECT id, cart_id::text, email, status, subtotal_cents::bigint, tax_cents::bigint, total_cents::bigint,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
FROM orders WHERE email = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";

/// The bounded count: at most 1001 orders are counted.
const COUNT_SQL: &str = "SELECT count(*) FROM (SELECT 1 FROM orders WHERE email = $1 LIMIT 1001) AS m";

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new(GROUP);
    let tag = short_tag(&ctx.key_prefix);
    let email = format!("history-{tag}@example.com");
    let shouter = format!("History-{tag}@example.com");
    let placed = place_orders(ctx, &mut g, &[&email, &email, &shouter, &email]).await;
    let mine: Vec<i64> = placed.iter().filter(|(e, _)| *e == email).map(|(_, id)| *id).rev().collect();
    let first = ctx.http.get(&path(&email, &[])).await;
    let ids: Vec<i64> = first.json()["items"].as_array().map(|items| items.iter().filter_map(|o| o["id"].as_i64()).collect()).unwrap_or_default();
    g.check(format!("the three orders of {email}, newest first"), first.status == 200 && ids == mine, format!("items with ids {mine:?}"), &first);
    for (params, what) in [
        (vec![], "defaults (limit 20, offset 0)"),
        (vec![("limit", "2")], "limit=2"),
        (vec![("limit", "2"), ("offset", "2")], "the second page of two"),
        (vec![("offset", "3")], "an offset at the end"),
        (vec![("offset", "10000")], "offset=10000"),
        (vec![("limit", "100")], "limit=100"),
        (vec![("limit", "1"), ("limit", "2")], "limit given twice (the last counts)"),
        (vec![("offset", "1"), ("unknown", "x")], "an unknown parameter (ignored)"),
    ] {
        same_as_canonical(ctx, &mut g, &email, &params, what).await;
    }
    same_as_canonical(ctx, &mut g, &shouter, &[], "an email differing only in case (another customer)").await;
    same_as_canonical(ctx, &mut g, &format!("nobody-{tag}@example.com"), &[], "an email without orders (an empty page)").await;
    bounded_total(ctx, &mut g, &tag).await;
    refusals(ctx, &mut g, &email).await;
    g
}

/// `/orders?email=…` with `params` after it, each value percent-encoded.
fn path(email: &str, params: &[(&str, &str)]) -> String {
    let mut text = format!("/orders?email={}", query_value(email));
    for (name, value) in params {
        text.push_str(&format!("&{name}={}", query_value(value)));
    }
    text
}

/// Checks out one cart per email, in order; (email, order id) of each order placed.
async fn place_orders(ctx: &Ctx<'_>, g: &mut GroupOutcome, emails: &[&String]) -> Vec<(String, i64)> {
    let product = &ctx.products(1, 20).await[0];
    let mut placed = Vec::new();
    for email in emails {
        let cart = ctx.cart_with(&[(product, 1)]).await;
        let answer = ctx.checkout(&cart, email, None).await;
        match answer.json()["id"].as_i64() {
            Some(id) if answer.status == 201 => placed.push((email.to_string(), id)),
            _ => g.check("checkout places the orders the history lists", false, "201", &answer),
        }
    }
    placed
}

/// The page the canonical SQL gives for `email` with `params` (the last of a repeated one counts).
async fn canonical(ctx: &Ctx<'_>, email: &str, params: &[(&str, &str)]) -> Value {
    let value = |name: &str, default: i64| params.iter().rev().find(|(n, _)| *n == name).map_or(default, |(_, v)| v.parse().unwrap_or(default));
    let (limit, offset) = (value("limit", 20), value("offset", 0));
    let rows = ctx.db.query(PAGE_SQL, &[&email, &limit, &offset]).await.expect("the canonical history runs");
    let counted: i64 = ctx.db.query_one(COUNT_SQL, &[&email]).await.expect("the canonical count runs").get(0);
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({"id": r.get::<_, i64>(0), "cart_id": r.get::<_, String>(1), "email": r.get::<_, String>(2), "status": r.get::<_, String>(3),
                   "subtotal_cents": r.get::<_, i64>(4), "tax_cents": r.get::<_, i64>(5), "total_cents": r.get::<_, i64>(6),
                   "created_at": r.get::<_, String>(7)})
        })
        .collect();
    json!({"total": counted.min(1000), "total_exact": counted <= 1000, "limit": limit, "offset": offset, "items": items})
}

async fn same_as_canonical(ctx: &Ctx<'_>, g: &mut GroupOutcome, email: &str, params: &[(&str, &str)], what: &str) {
    let expected = canonical(ctx, email, params).await;
    let answer = ctx.http.get(&path(email, params)).await;
    let same = answer.status == 200 && answer.is_json() && answer.json() == expected;
    g.check(format!("order history, {what}: {}", path(email, params)), same, expected.to_string(), &answer);
}

/// 1,001 orders of one email, inserted directly: total 1000, total_exact false.
async fn bounded_total(ctx: &Ctx<'_>, g: &mut GroupOutcome, tag: &str) {
    let email = format!("many-{tag}@example.com");
    let sql = "WITH c AS (INSERT INTO carts (checked_out_at) SELECT now() FROM generate_series(1, 1001) RETURNING id)
               INSERT INTO orders (cart_id, email, subtotal_cents, tax_cents, total_cents) SELECT id, $1, 1000, 83, 1083 FROM c";
    match ctx.db.execute(sql, &[&email]).await {
        Ok(_) => {
            same_as_canonical(ctx, g, &email, &[("limit", "5")], "1,001 orders (total 1000, total_exact false)").await;
            same_as_canonical(ctx, g, &email, &[("limit", "100"), ("offset", "950")], "1,001 orders, a page near the end").await;
        }
        Err(e) => g.check_value("1,001 orders for one email can be inserted", false, "inserted", e.to_string()),
    }
}

async fn refusals(ctx: &Ctx<'_>, g: &mut GroupOutcome, email: &str) {
    let long = format!("{}@example.com", "a".repeat(243));
    let mut paths = vec![
        ("/orders".to_string(), "no email"),
        ("/orders?email=".to_string(), "an empty email"),
        ("/orders?limit=5".to_string(), "limit without an email"),
        (path("no-at-sign.example.com", &[]), "an email without @"),
        (path("a@b@example.com", &[]), "an email with two @"),
        (path("someone@localhost", &[]), "an email without a dot after @"),
        (path("@example.com", &[]), "an email with nothing before @"),
        (path(&long, &[]), "an email of 255 characters"),
        ("/orders?email=a%00b@example.com".to_string(), "an email holding U+0000"),
    ];
    for (value, what) in
        [("0", "limit=0"), ("101", "limit=101"), ("abc", "limit=abc"), ("1.5", "limit=1.5"), ("+1", "limit=+1"), ("", "an empty limit"), (" 1", "limit=' 1'")]
    {
        paths.push((path(email, &[("limit", value)]), what));
    }
    for (value, what) in [("-1", "offset=-1"), ("10001", "offset=10001"), ("1e2", "offset=1e2")] {
        paths.push((path(email, &[("offset", value)]), what));
    }
    for (p, what) in paths {
        g.expect_error(&format!("order history with {what}"), &ctx.http.get(&p).await, 422, "validation_failed");
    }
    let ok_254 = format!("{}@example.com", "a".repeat(242));
    let answer = ctx.http.get(&path(&ok_254, &[])).await;
    g.expect_status("order history with an email of exactly 254 characters", &answer, 200);
    for method in ["POST", "PUT", "DELETE"] {
        let answer = ctx.http.send(method, &path(email, &[]), &[], None).await;
        let allowed = answer.allow.as_deref().map(crate::verify::http::allowed_methods);
        let ok = answer.status == 405 && answer.error_code().as_deref() == Some("method_not_allowed") && allowed == Some(["GET".to_string()].into());
        g.check(format!("{method} /orders is 405 with Allow: GET"), ok, "405 method_not_allowed, Allow: GET", &answer);
    }
    g.expect_error("/orders/ (a trailing slash) stays unknown", &ctx.http.get(&format!("/orders/?email={}", query_value(email))).await, 404, "not_found");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_paths_percent_encode_the_email_and_keep_repeated_parameters() {
        assert_eq!(path("a+b@example.com", &[("limit", "1"), ("limit", "2")]), "/orders?email=a%2Bb%40example.com&limit=1&limit=2");
    }

    #[test]
    fn the_canonical_page_orders_newest_first_with_the_larger_id_breaking_ties() {
        assert!(PAGE_SQL.contains("ORDER BY created_at DESC, id DESC"));
        assert!(COUNT_SQL.ends_with("LIMIT 1001) AS m"));
    }
}
