//! Races: no oversell under 200 concurrent checkouts, and idempotency keys that hold when
//! repeated and when raced — both checked in the database.

use futures_util::future::join_all;

use super::{Ctx, Product};
use crate::verify::outcome::GroupOutcome;

const BUYERS: usize = 200;
const TWINS: usize = 20;

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new("concurrency");
    no_oversell(ctx, &mut g).await;
    idempotency(ctx, &mut g).await;
    g
}

async fn no_oversell(ctx: &Ctx<'_>, g: &mut GroupOutcome) {
    let product = ctx.reserved_product().await;
    let mut carts = Vec::with_capacity(BUYERS);
    for _ in 0..BUYERS {
        carts.push(ctx.cart_with(&[(&product, 1)]).await);
    }
    let answers = join_all(carts.iter().map(|cart| ctx.raced_checkout(cart, "race@example.com", None))).await;
    let created = answers.iter().filter(|a| a.status == 201).count();
    let refused = answers.iter().filter(|a| a.status == 409 && a.error_code().as_deref() == Some("out_of_stock")).count();
    let stock = product.stock as usize;
    g.check_value(format!("{BUYERS} concurrent checkouts of stock {stock}: {stock} orders"), created == stock, stock.to_string(), created.to_string());
    g.check_value("the others are 409 out_of_stock", refused == BUYERS - stock, (BUYERS - stock).to_string(), refused.to_string());
    if let Some(odd) = answers.iter().find(|a| a.status != 201 && a.status != 409) {
        g.check("no other status under contention", false, "201 or 409", odd);
    }
    let left = ctx.stock_of(&[product.id]).await[0];
    g.check_value("final stock is 0", left == 0, "0", left.to_string());
    let sql = "SELECT count(*) FROM order_items WHERE product_id = $1";
    let rows: i64 = ctx.db.query_one(sql, &[&product.id]).await.map(|r| r.get(0)).unwrap_or(-1);
    g.check_value(format!("exactly {stock} order rows hold the product"), rows == stock as i64, stock.to_string(), rows.to_string());
}

async fn idempotency(ctx: &Ctx<'_>, g: &mut GroupOutcome) {
    let product = &ctx.products(1, 100).await[0];
    let key = format!("{}-sequential", ctx.key_prefix);
    let cart = ctx.cart_with(&[(product, 1)]).await;
    let first = ctx.checkout(&cart, "idem@example.com", Some(&key)).await;
    let second = ctx.checkout(&cart, "idem@example.com", Some(&key)).await;
    g.check("first use of a key is 201", first.status == 201, "201", &first);
    g.check("a repeat with the key is 200 with the same order", second.status == 200 && second.json() == first.json(), first.body.clone(), &second);
    g.check_value("one order for the key", ctx.orders_with_key(&key).await == 1, "1", ctx.orders_with_key(&key).await.to_string());
    let other = ctx.cart_with(&[(product, 1)]).await;
    let reuse = ctx.checkout(&other, "idem@example.com", Some(&key)).await;
    g.expect_error("the key used for another cart", &reuse, 422, "validation_failed");
    raced(ctx, g, product).await;
}

async fn raced(ctx: &Ctx<'_>, g: &mut GroupOutcome, product: &Product) {
    let key = format!("{}-raced", ctx.key_prefix);
    let cart = ctx.cart_with(&[(product, 2)]).await;
    let before = ctx.stock_of(&[product.id]).await[0];
    let answers = join_all((0..TWINS).map(|_| ctx.raced_checkout(&cart, "twins@example.com", Some(&key)))).await;
    let created: Vec<_> = answers.iter().filter(|a| a.status == 201).collect();
    let repeated = answers.iter().filter(|a| a.status == 200).count();
    g.check_value(format!("{TWINS} raced requests with one key: one 201"), created.len() == 1, "1", created.len().to_string());
    g.check_value("and the rest 200", repeated == TWINS - 1, (TWINS - 1).to_string(), repeated.to_string());
    if let Some(first) = created.first() {
        if let Some(odd) = answers.iter().find(|a| a.json() != first.json()) {
            g.check("every raced answer carries the same order", false, first.body.clone(), odd);
        }
    }
    let orders = ctx.orders_with_key(&key).await;
    g.check_value("one order row for the raced key", orders == 1, "1", orders.to_string());
    let after = ctx.stock_of(&[product.id]).await[0];
    g.check_value("stock taken once", after == before - 2, (before - 2).to_string(), after.to_string());
    let bad = ctx.checkout(&ctx.cart_with(&[(product, 1)]).await, "a@example.com", Some(&"k".repeat(65))).await;
    g.expect_error("a 65-character key", &bad, 422, "validation_failed");
}
