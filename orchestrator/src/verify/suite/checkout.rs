//! Checkout: money (tax rounded half up), the order read back, stock and cart state in the
//! database, and the refusals (checked out, empty, unknown, out of stock — all or nothing).

use serde_json::{json, Value};

use super::{Ctx, Product};
use crate::verify::outcome::GroupOutcome;
use crate::verify::suite::carts::line;

/// Tax of the contract: 8.25 %, rounded half up, in integer arithmetic.
pub fn tax_cents(subtotal_cents: i64) -> i64 {
    (subtotal_cents * 825 + 5000) / 10000
}

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new("checkout");
    let (x, y) = ctx.half_up_pair().await;
    let cart = ctx.cart_with(&[(&x, 1), (&y, 2)]).await;
    let stock_before = ctx.stock_of(&[x.id, y.id]).await;
    let answer = ctx.checkout(&cart, "buyer@example.com", None).await;
    let order = answer.json();
    let subtotal = x.price_cents + 2 * y.price_cents;
    let expected = expected_order(&order, &cart, "buyer@example.com", &[(&x, 1), (&y, 2)]);
    g.check(
        format!("checkout of {subtotal} cents charges tax {} (half up) and answers 201", tax_cents(subtotal)),
        answer.status == 201 && answer.is_json() && order == expected,
        expected.to_string(),
        &answer,
    );
    if answer.status != 201 {
        return g;
    }
    let read = ctx.http.get(&format!("/orders/{}", order["id"])).await;
    g.check("GET /orders/{id} returns the checkout's body", read.status == 200 && read.json() == order, order.to_string(), &read);
    let stock_after = ctx.stock_of(&[x.id, y.id]).await;
    let decremented = stock_after == vec![stock_before[0] - 1, stock_before[1] - 2];
    g.check_value("stock is decremented by each line's quantity", decremented, format!("{:?} minus [1, 2]", stock_before), format!("{stock_after:?}"));
    let again = ctx.checkout(&cart, "buyer@example.com", None).await;
    g.expect_error("a second checkout without a key", &again, 409, "cart_checked_out");
    let add = ctx.http.post_json(&format!("/carts/{cart}/items"), &json!({"product_id": x.id, "quantity": 1})).await;
    g.expect_error("adding to a checked-out cart", &add, 409, "cart_checked_out");
    let read = ctx.http.get(&format!("/carts/{cart}")).await;
    g.check("a checked-out cart stays readable", read.status == 200, "200", &read);
    refusals(ctx, &mut g, &x).await;
    g
}

/// The order body for `lines`, taking the id and created_at the app chose (checked for form).
pub(crate) fn expected_order(order: &Value, cart: &str, email: &str, lines: &[(&Product, i64)]) -> Value {
    let subtotal: i64 = lines.iter().map(|(p, q)| p.price_cents * q).sum();
    let created_at = order["created_at"].as_str().unwrap_or_default();
    let id_ok = order["id"].as_i64().is_some_and(|id| id >= 1);
    json!({
        "id": if id_ok { order["id"].clone() } else { json!("a positive integer") },
        "cart_id": cart, "email": email, "status": "confirmed",
        "items": lines.iter().map(|(p, q)| line(p, *q)).collect::<Vec<_>>(),
        "subtotal_cents": subtotal, "tax_cents": tax_cents(subtotal), "total_cents": subtotal + tax_cents(subtotal),
        "created_at": if is_timestamp(created_at) { json!(created_at) } else { json!("YYYY-MM-DDTHH:MM:SS.ffffffZ") },
    })
}

fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25];
    b.len() == 27
        && digits.iter().all(|&i| b[i].is_ascii_digit())
        && [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'.'), (26, b'Z')].iter().all(|&(i, c)| b[i] == c)
}

async fn refusals(ctx: &Ctx<'_>, g: &mut GroupOutcome, x: &Product) {
    let empty = ctx.cart_with(&[]).await;
    g.expect_error("checkout of an empty cart", &ctx.checkout(&empty, "a@example.com", None).await, 422, "validation_failed");
    let unknown = "00000000-0000-4000-8000-000000000000";
    g.expect_error("checkout of an unknown cart", &ctx.checkout(unknown, "a@example.com", None).await, 404, "not_found");
    g.expect_error("GET an unknown order", &ctx.http.get("/orders/99999999").await, 404, "not_found");
    let sold_out = ctx.sold_out_product().await;
    let cart = ctx.cart_with(&[(x, 1), (&sold_out, 1)]).await;
    let before = ctx.stock_of(&[x.id]).await;
    let answer = ctx.checkout(&cart, "a@example.com", None).await;
    let named = answer.json()["error"]["product_ids"] == json!([sold_out.id]);
    g.check(
        "an out-of-stock line is 409 out_of_stock naming it",
        answer.status == 409 && answer.error_code().as_deref() == Some("out_of_stock") && named,
        format!("409 out_of_stock with product_ids [{}]", sold_out.id),
        &answer,
    );
    let after = ctx.stock_of(&[x.id]).await;
    g.check_value("a refused checkout changes no stock (all or nothing)", before == after, format!("{before:?}"), format!("{after:?}"));
    let open = ctx.cart_is_open(&cart).await;
    g.check_value("a refused checkout leaves the cart open", open, "checked_out_at NULL", if open { "NULL" } else { "set" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_rounds_half_up() {
        assert_eq!(tax_cents(0), 0);
        assert_eq!(tax_cents(1000), 83); // 82.5 → 83
        assert_eq!(tax_cents(999), 82); // 82.4175 → 82
        assert_eq!(tax_cents(10_000), 825);
    }

    #[test]
    fn timestamps_need_six_fractional_digits_and_z() {
        assert!(is_timestamp("2026-11-26T14:08:31.123456Z"));
        assert!(!is_timestamp("2026-11-26T14:08:31Z"));
        assert!(!is_timestamp("2026-11-26 14:08:31.123456+00"));
    }
}
