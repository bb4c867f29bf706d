//! Health, routing, content types and the product page.

use serde_json::json;

use super::Ctx;
use crate::verify::outcome::GroupOutcome;

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new("basics");
    let health = ctx.http.get("/health").await;
    g.check(
        "GET /health is 200 {\"status\":\"ok\"} as JSON",
        health.status == 200 && health.is_json() && health.json() == json!({"status": "ok"}),
        "200 {\"status\":\"ok\"}",
        &health,
    );
    for path in ["/nope", "/health/", "/products", "/carts/x/y/z"] {
        let answer = ctx.http.get(path).await;
        g.expect_error(&format!("unknown route {path}"), &answer, 404, "not_found");
    }
    let wrong = ctx.http.send("DELETE", "/carts", &[], None).await;
    g.expect_error("DELETE /carts", &wrong, 405, "method_not_allowed");
    let wrong = ctx.http.send("PUT", "/products/1", &[], None).await;
    g.expect_error("PUT /products/1", &wrong, 405, "method_not_allowed");
    product_page(ctx, &mut g).await;
    g
}

async fn product_page(ctx: &Ctx<'_>, g: &mut GroupOutcome) {
    let row = ctx
        .db
        .query_one(
            "SELECT id, sku, name, description, brand, category_id, price_cents, stock FROM products WHERE id = LEAST(100, (SELECT max(id) FROM products))",
            &[],
        )
        .await
        .expect("product 100 (or the last of a smaller catalogue) exists");
    let id = row.get::<_, i32>(0);
    let expected = json!({
        "id": row.get::<_, i32>(0), "sku": row.get::<_, String>(1), "name": row.get::<_, String>(2),
        "description": row.get::<_, String>(3), "brand": row.get::<_, String>(4),
        "category_id": row.get::<_, i32>(5), "price_cents": row.get::<_, i32>(6),
        "stock": row.get::<_, i32>(7), "in_stock": row.get::<_, i32>(7) > 0,
    });
    let answer = ctx.http.get(&format!("/products/{id}")).await;
    g.check(
        format!("GET /products/{id} matches the database"),
        answer.status == 200 && answer.is_json() && answer.json() == expected,
        expected.to_string(),
        &answer,
    );
    for path in ["/products/99999999", "/products/abc", "/products/-1", "/products/007"] {
        let answer = ctx.http.get(path).await;
        g.expect_error(&format!("GET {path}"), &answer, 404, "not_found");
    }
}
