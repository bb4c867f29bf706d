//! Carts: creation, adding lines, merging quantities, ordering, arithmetic, limits.

use serde_json::{json, Value};

use super::{Ctx, Product};
use crate::verify::outcome::GroupOutcome;

/// The cart body the contract wants for `lines` of `(product, quantity)`.
pub fn cart_body(id: &str, lines: &[(&Product, i64)]) -> Value {
    let mut sorted: Vec<&(&Product, i64)> = lines.iter().collect();
    sorted.sort_by_key(|(p, _)| p.id);
    let items: Vec<Value> = sorted.iter().map(|(p, q)| line(p, *q)).collect();
    let subtotal: i64 = sorted.iter().map(|(p, q)| p.price_cents * q).sum();
    json!({"id": id, "items": items, "subtotal_cents": subtotal})
}

pub fn line(product: &Product, quantity: i64) -> Value {
    json!({"product_id": product.id, "name": product.name, "unit_price_cents": product.price_cents,
           "quantity": quantity, "line_total_cents": product.price_cents * quantity})
}

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new("carts");
    let created = ctx.http.post_json("/carts", &json!({})).await;
    let id = created.json()["id"].as_str().unwrap_or_default().to_string();
    let fresh = created.status == 201 && created.is_json() && created.json() == cart_body(&id, &[]) && is_uuid(&id);
    g.check("POST /carts is 201 with an empty cart and a lower-case uuid", fresh, "201 {\"id\": uuid, \"items\": [], \"subtotal_cents\": 0}", &created);
    if !fresh {
        return g;
    }
    let products = ctx.products(2, 50).await;
    let (a, b) = (&products[0], &products[1]);
    let path = format!("/carts/{id}/items");
    type Lines<'a> = Vec<(&'a Product, i64)>;
    let steps: [(&Product, i64, Lines); 3] = [(b, 2, vec![(b, 2)]), (a, 1, vec![(a, 1), (b, 2)]), (b, 3, vec![(a, 1), (b, 5)])];
    for (product, quantity, lines) in steps {
        let answer = ctx.http.post_json(&path, &json!({"product_id": product.id, "quantity": quantity})).await;
        let expected = cart_body(&id, &lines);
        g.check(format!("add {quantity} of product {}", product.id), answer.status == 200 && answer.json() == expected, expected.to_string(), &answer);
    }
    let expected = cart_body(&id, &[(a, 1), (b, 5)]);
    let read = ctx.http.get(&format!("/carts/{id}")).await;
    g.check("GET /carts/{id} returns the cart", read.status == 200 && read.is_json() && read.json() == expected, expected.to_string(), &read);
    for (body, status, code) in [
        (json!({"product_id": b.id, "quantity": 96}), 422, "validation_failed"),
        (json!({"product_id": a.id, "quantity": 0}), 422, "validation_failed"),
        (json!({"product_id": a.id, "quantity": 101}), 422, "validation_failed"),
        (json!({"product_id": 99_999_999, "quantity": 1}), 404, "not_found"),
    ] {
        let answer = ctx.http.post_json(&path, &body).await;
        g.expect_error(&format!("add {body}"), &answer, status, code);
    }
    let read = ctx.http.get(&format!("/carts/{id}")).await;
    g.check("refused adds change nothing", read.json() == expected, expected.to_string(), &read);
    let unknown = "/carts/00000000-0000-4000-8000-000000000000";
    g.expect_error("GET an unknown cart", &ctx.http.get(unknown).await, 404, "not_found");
    let answer = ctx.http.post_json(&format!("{unknown}/items"), &json!({"product_id": a.id, "quantity": 1})).await;
    g.expect_error("add to an unknown cart", &answer, 404, "not_found");
    g.expect_error("GET a malformed cart id", &ctx.http.get("/carts/not-a-uuid").await, 404, "not_found");
    g
}

pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    lengths == [8, 4, 4, 4, 12] && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
}
