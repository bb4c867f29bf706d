//! The conformance suite: black-box checks of one running app against the contract, with the
//! database as the referee.

mod basics;
mod carts;
pub(crate) mod checkout;
mod concurrency;
mod hostile;
pub(crate) mod search;

use serde_json::json;
use tokio_postgres::Client;

use super::http::{Exchange, Http};
use super::outcome::GroupOutcome;

/// The check groups, in the order they run (and the columns of the matrix).
pub const GROUPS: &[&str] = &["setup", "basics", "search", "carts", "checkout", "concurrency", "hostile input", "runtime", "observability"];

/// A product as the database has it.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: i32,
    pub name: String,
    pub price_cents: i64,
    pub stock: i64,
}

/// What the checks share: the app, the database, and what makes this app's data its own.
pub struct Ctx<'a> {
    pub http: &'a Http,
    pub db: &'a Client,
    /// The reserved (stock 10) product this app's oversell check consumes.
    pub reserved_id: i32,
    /// Prefix of this app's idempotency keys.
    pub key_prefix: String,
}

/// Runs every group against one app.
pub async fn run_all(ctx: &Ctx<'_>) -> Vec<GroupOutcome> {
    vec![basics::run(ctx).await, search::run(ctx).await, carts::run(ctx).await, checkout::run(ctx).await, concurrency::run(ctx).await, hostile::run(ctx).await]
}

const PRODUCT_COLUMNS: &str = "id, name, price_cents::bigint, stock::bigint";

fn product(row: &tokio_postgres::Row) -> Product {
    Product { id: row.get(0), name: row.get(1), price_cents: row.get(2), stock: row.get(3) }
}

impl Ctx<'_> {
    /// `n` unreserved products with at least `min_stock` in stock, spread over the catalogue.
    pub async fn products(&self, n: i64, min_stock: i32) -> Vec<Product> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id > 32 AND stock >= $1 ORDER BY md5(id::text || $2) LIMIT $3");
        let rows = self.db.query(&sql, &[&min_stock, &self.key_prefix, &n]).await.expect("products");
        let mut products: Vec<Product> = rows.iter().map(product).collect();
        products.sort_by_key(|p| p.id);
        products
    }

    /// Two products whose cart (one of the first, two of the second) has a subtotal where tax
    /// rounding half up differs from rounding down.
    pub async fn half_up_pair(&self) -> (Product, Product) {
        let candidates = self.products(60, 20).await;
        for x in &candidates {
            for y in &candidates {
                let subtotal = x.price_cents + 2 * y.price_cents;
                if x.id != y.id && subtotal * 825 % 10_000 >= 5_000 {
                    return (x.clone(), y.clone());
                }
            }
        }
        panic!("no product pair with a half-up tax subtotal in the catalogue");
    }

    pub async fn sold_out_product(&self) -> Product {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id > 32 AND stock = 0 ORDER BY id LIMIT 1");
        product(&self.db.query_one(&sql, &[]).await.expect("a sold-out product"))
    }

    pub async fn reserved_product(&self) -> Product {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1");
        product(&self.db.query_one(&sql, &[&self.reserved_id]).await.expect("the reserved product"))
    }

    /// A new cart holding `lines`; its id.
    pub async fn cart_with(&self, lines: &[(&Product, i64)]) -> String {
        let created = self.http.post_json("/carts", &json!({})).await;
        let id = created.json()["id"].as_str().unwrap_or("no-cart").to_string();
        for (p, quantity) in lines {
            self.http.post_json(&format!("/carts/{id}/items"), &json!({"product_id": p.id, "quantity": quantity})).await;
        }
        id
    }

    pub async fn checkout(&self, cart: &str, email: &str, key: Option<&str>) -> Exchange {
        self.checkout_within(crate::verify::http::ANSWER_WITHIN, cart, email, key).await
    }

    /// A checkout that may queue behind many others for the same rows (races): 30 s to answer.
    pub async fn raced_checkout(&self, cart: &str, email: &str, key: Option<&str>) -> Exchange {
        self.checkout_within(std::time::Duration::from_secs(30), cart, email, key).await
    }

    async fn checkout_within(&self, limit: std::time::Duration, cart: &str, email: &str, key: Option<&str>) -> Exchange {
        let body = json!({"cart_id": cart, "email": email}).to_string();
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(key) = key {
            headers.push(("Idempotency-Key", key));
        }
        self.http.send_within(limit, "POST", "/checkout", &headers, Some(body)).await
    }

    pub async fn stock_of(&self, ids: &[i32]) -> Vec<i64> {
        let mut stock = Vec::with_capacity(ids.len());
        for id in ids {
            let row = self.db.query_one("SELECT stock::bigint FROM products WHERE id = $1", &[id]).await;
            stock.push(row.map(|r| r.get(0)).unwrap_or(-1));
        }
        stock
    }

    pub async fn cart_is_open(&self, cart: &str) -> bool {
        let sql = "SELECT checked_out_at IS NULL FROM carts WHERE id::text = $1";
        self.db.query_one(sql, &[&cart]).await.map(|r| r.get(0)).unwrap_or(false)
    }

    pub async fn orders_with_key(&self, key: &str) -> i64 {
        let sql = "SELECT count(*) FROM orders WHERE idempotency_key = $1";
        self.db.query_one(sql, &[&key]).await.map(|r| r.get(0)).unwrap_or(-1)
    }
}
