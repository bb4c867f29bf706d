//! discount-codes: checkout with a code — the money (discount before tax), the order's new fields
//! read back, the code's `times_used` and the stock in the database, the three refusals and
//! their place among checkout's errors, idempotency, and the last use of a code raced.

use futures_util::future::join_all;
use serde_json::{json, Value};

use super::short_tag;
use crate::verify::http::Exchange;
use crate::verify::outcome::GroupOutcome;
use crate::verify::suite::checkout::{expected_order, tax_cents};
use crate::verify::suite::{Ctx, Product};

pub const GROUP: &str = "discount-codes";

/// Checkouts racing for a code that allows [`RACE_LIMIT`] uses.
const RACERS: usize = 10;
const RACE_LIMIT: i32 = 3;

/// The discount of the task: percent rounded half up, or a fixed amount capped at the subtotal.
pub fn discount_cents(subtotal_cents: i64, percent_off: Option<i64>, amount_off_cents: Option<i64>) -> i64 {
    match (percent_off, amount_off_cents) {
        (Some(percent), _) => (subtotal_cents * percent + 50) / 100,
        (None, Some(amount)) => amount.min(subtotal_cents),
        (None, None) => 0,
    }
}

/// A code this run inserts: (name, percent_off, amount_off_cents, expires_at SQL, usage_limit).
type CodeRow = (&'static str, Option<i32>, Option<i32>, &'static str, Option<i32>);

const CODES: [CodeRow; 8] = [
    ("PCT15", Some(15), None, "NULL", None),
    ("FIXED", None, Some(700), "NULL", None),
    ("HUGE", None, Some(2_000_000_000), "NULL", None),
    ("SOON", Some(10), None, "now() + interval '1 day'", None),
    ("EXPIRED", Some(10), None, "now() - interval '1 hour'", None),
    ("ONCE", Some(10), None, "NULL", Some(1)),
    ("STALE", Some(10), None, "now() - interval '1 hour'", Some(1)),
    ("RACE", Some(5), None, "NULL", Some(RACE_LIMIT)),
];

struct Codes {
    prefix: String,
}

impl Codes {
    /// The run's own spelling of code `name` (at most 32 characters).
    fn get(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }
}

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new(GROUP);
    let codes = Codes { prefix: format!("T{}", short_tag(&ctx.key_prefix)) };
    if let Err(e) = insert_codes(ctx, &codes).await {
        g.check_value("the task's schema.sql is applied (table discount_codes)", false, "the check's codes inserted", e.to_string());
        return g;
    }
    let products = ctx.products(3, 40).await;
    happy_paths(ctx, &mut g, &codes, &products).await;
    refusals(ctx, &mut g, &codes, &products[0]).await;
    precedence(ctx, &mut g, &codes, &products[0]).await;
    idempotency(ctx, &mut g, &codes, &products[1]).await;
    race(ctx, &mut g, &codes, &products[2]).await;
    g
}

async fn insert_codes(ctx: &Ctx<'_>, codes: &Codes) -> Result<(), tokio_postgres::Error> {
    for (name, percent, amount, expires, limit) in CODES {
        let sql = format!("INSERT INTO discount_codes (code, percent_off, amount_off_cents, expires_at, usage_limit) VALUES ($1, $2, $3, {expires}, $4)");
        ctx.db.execute(&sql, &[&codes.get(name), &percent, &amount, &limit]).await?;
    }
    Ok(())
}

/// POST /checkout with `discount_code` set to `code` (left out when None).
async fn checkout(ctx: &Ctx<'_>, cart: &str, code: Option<Value>, key: Option<&str>) -> Exchange {
    let mut body = json!({"cart_id": cart, "email": "saver@example.com"});
    if let Some(code) = code {
        body["discount_code"] = code;
    }
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(key) = key {
        headers.push(("Idempotency-Key", key));
    }
    ctx.http.send_within(std::time::Duration::from_secs(30), "POST", "/checkout", &headers, Some(body.to_string())).await
}

/// The order body for `lines` with code `code` taking `discount` cents off before tax.
fn discounted(order: &Value, cart: &str, lines: &[(&Product, i64)], code: &str, discount: i64) -> Value {
    let mut expected = expected_order(order, cart, "saver@example.com", lines);
    let subtotal = expected["subtotal_cents"].as_i64().unwrap_or_default();
    let tax = tax_cents(subtotal - discount);
    expected["discount_code"] = json!(code);
    expected["discount_cents"] = json!(discount);
    expected["tax_cents"] = json!(tax);
    expected["total_cents"] = json!(subtotal - discount + tax);
    expected
}

async fn times_used(ctx: &Ctx<'_>, code: &str) -> i64 {
    let sql = "SELECT times_used::bigint FROM discount_codes WHERE code = $1";
    ctx.db.query_one(sql, &[&code]).await.map(|r| r.get(0)).unwrap_or(-1)
}

/// The order row's (discount_code, discount_cents, tax_cents, total_cents).
async fn order_row(ctx: &Ctx<'_>, id: i64) -> Option<(Option<String>, i64, i64, i64)> {
    let sql = "SELECT discount_code, discount_cents::bigint, tax_cents::bigint, total_cents::bigint FROM orders WHERE id = $1";
    ctx.db.query_one(sql, &[&id]).await.ok().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
}

async fn happy_paths(ctx: &Ctx<'_>, g: &mut GroupOutcome, codes: &Codes, products: &[Product]) {
    let (x, y) = (&products[0], &products[1]);
    let lines = [(x, 1), (y, 2)];
    let subtotal = x.price_cents + 2 * y.price_cents;
    for (name, percent, amount) in [("PCT15", Some(15), None), ("FIXED", None, Some(700)), ("HUGE", None, Some(2_000_000_000)), ("SOON", Some(10), None)] {
        let code = codes.get(name);
        let cart = ctx.cart_with(&lines).await;
        let before = ctx.stock_of(&[x.id, y.id]).await;
        let answer = checkout(ctx, &cart, Some(json!(code)), None).await;
        let order = answer.json();
        let discount = discount_cents(subtotal, percent, amount);
        let expected = discounted(&order, &cart, &lines, &code, discount);
        let what = match (percent, amount) {
            (Some(p), _) => format!("{p} % off"),
            _ => format!("{} cents off", amount.unwrap_or_default()),
        };
        let check = format!("checkout of {subtotal} cents with a code for {what} ({name}) answers 201 with discount_cents {discount}, tax on the rest");
        g.check(check, answer.status == 201 && answer.is_json() && order == expected, expected.to_string(), &answer);
        if answer.status != 201 {
            continue;
        }
        let id = order["id"].as_i64().unwrap_or_default();
        let read = ctx.http.get(&format!("/orders/{id}")).await;
        g.check(
            format!("GET /orders/{{id}} shows the discount of {name} as checkout did"),
            read.status == 200 && read.json() == order,
            order.to_string(),
            &read,
        );
        let row = order_row(ctx, id).await;
        let wanted = (Some(code.clone()), discount, expected["tax_cents"].as_i64().unwrap_or(-1), expected["total_cents"].as_i64().unwrap_or(-1));
        g.check_value(
            format!("the orders row stores {name}'s code, discount, tax and total"),
            row.as_ref() == Some(&wanted),
            format!("{wanted:?}"),
            format!("{row:?}"),
        );
        let used = times_used(ctx, &code).await;
        g.check_value(format!("{name}'s times_used counts the order"), used == 1, "1", used.to_string());
        let after = ctx.stock_of(&[x.id, y.id]).await;
        let taken = after == vec![before[0] - 1, before[1] - 2];
        g.check_value(format!("checkout with {name} takes the stock"), taken, format!("{before:?} minus [1, 2]"), format!("{after:?}"));
    }
    without_a_code(ctx, g, &lines).await;
}

/// No code, or `null`: today's body, without the new fields; the row has no code and 0 off.
async fn without_a_code(ctx: &Ctx<'_>, g: &mut GroupOutcome, lines: &[(&Product, i64)]) {
    for (how, code) in [("without discount_code", None), ("with \"discount_code\": null", Some(Value::Null))] {
        let cart = ctx.cart_with(lines).await;
        let answer = checkout(ctx, &cart, code, None).await;
        let order = answer.json();
        let expected = expected_order(&order, &cart, "saver@example.com", lines);
        g.check(
            format!("a checkout {how} answers today's order, without discount fields"),
            answer.status == 201 && order == expected,
            expected.to_string(),
            &answer,
        );
        if let Some(id) = order["id"].as_i64() {
            let row = order_row(ctx, id).await;
            let plain = row.as_ref().is_some_and(|(code, off, _, _)| code.is_none() && *off == 0);
            g.check_value(format!("the orders row of a checkout {how} has no code and discount_cents 0"), plain, "(None, 0, …)", format!("{row:?}"));
        }
    }
}

async fn refusals(ctx: &Ctx<'_>, g: &mut GroupOutcome, codes: &Codes, p: &Product) {
    let once = codes.get("ONCE");
    let first = checkout(ctx, &ctx.cart_with(&[(p, 1)]).await, Some(json!(once)), None).await;
    g.check("the only use of a code with usage_limit 1 is 201", first.status == 201, "201", &first);
    let cases = [
        ("an unknown code", json!(codes.get("NOPE")), 422, "discount_code_unknown", None),
        ("a code in the wrong case (codes are case-sensitive)", json!(codes.get("PCT15").to_lowercase()), 422, "discount_code_unknown", None),
        ("a code with a leading space", json!(format!(" {}", codes.get("PCT15"))), 422, "discount_code_unknown", None),
        ("an expired code", json!(codes.get("EXPIRED")), 422, "discount_code_expired", Some(codes.get("EXPIRED"))),
        ("a used-up code", json!(once), 409, "discount_code_used_up", Some(once.clone())),
        ("a code both expired and used up (expired comes first)", json!(codes.get("STALE")), 422, "discount_code_expired", Some(codes.get("STALE"))),
        ("an empty code", json!(""), 422, "validation_failed", None),
        ("a code of 33 characters", json!("C".repeat(33)), 422, "validation_failed", None),
        ("a code holding U+0000", json!("A\u{0}B"), 422, "validation_failed", None),
        ("a code that is a number", json!(15), 400, "bad_request", None),
        ("a code that is an object", json!({"code": once}), 400, "bad_request", None),
    ];
    for (what, code, status, error, counted) in cases {
        let cart = ctx.cart_with(&[(p, 1)]).await;
        let stock = ctx.stock_of(&[p.id]).await;
        let used = match &counted {
            Some(c) => times_used(ctx, c).await,
            None => 0,
        };
        let answer = checkout(ctx, &cart, Some(code), None).await;
        g.expect_error(&format!("checkout with {what}"), &answer, status, error);
        let unchanged = ctx.stock_of(&[p.id]).await == stock && ctx.cart_is_open(&cart).await;
        g.check_value(format!("checkout refused for {what} takes no stock and leaves the cart open"), unchanged, "stock and cart as before", "changed");
        if let Some(c) = counted {
            let now = times_used(ctx, &c).await;
            g.check_value(format!("checkout refused for {what} leaves times_used as it was"), now == used, used.to_string(), now.to_string());
        }
    }
}

/// The code is looked at after the cart and stock: their errors win.
async fn precedence(ctx: &Ctx<'_>, g: &mut GroupOutcome, codes: &Codes, p: &Product) {
    let unknown = json!(codes.get("NOPE"));
    let empty = ctx.cart_with(&[]).await;
    g.expect_error(
        "an empty cart with an unknown code is still 422 validation_failed",
        &checkout(ctx, &empty, Some(unknown.clone()), None).await,
        422,
        "validation_failed",
    );
    let missing = "00000000-0000-4000-8000-00000000d15c";
    g.expect_error("an unknown cart with an unknown code is still 404", &checkout(ctx, missing, Some(unknown.clone()), None).await, 404, "not_found");
    let sold_out = ctx.sold_out_product().await;
    let short = ctx.cart_with(&[(p, 1), (&sold_out, 1)]).await;
    let answer = checkout(ctx, &short, Some(json!(codes.get("ONCE"))), None).await;
    g.expect_error("an out-of-stock cart with a used-up code is still 409 out_of_stock", &answer, 409, "out_of_stock");
    let cart = ctx.cart_with(&[(p, 1)]).await;
    checkout(ctx, &cart, None, None).await;
    let again = checkout(ctx, &cart, Some(unknown), None).await;
    g.expect_error("a checked-out cart with an unknown code is still 409 cart_checked_out", &again, 409, "cart_checked_out");
}

async fn idempotency(ctx: &Ctx<'_>, g: &mut GroupOutcome, codes: &Codes, p: &Product) {
    let key = format!("{}-discount", ctx.key_prefix);
    let cart = ctx.cart_with(&[(p, 2)]).await;
    let refused = checkout(ctx, &cart, Some(json!(codes.get("NOPE"))), Some(&key)).await;
    g.expect_error("a keyed checkout with an unknown code", &refused, 422, "discount_code_unknown");
    let code = codes.get("PCT15");
    let first = checkout(ctx, &cart, Some(json!(code)), Some(&key)).await;
    g.check("the key of a refused checkout can be used again (201)", first.status == 201, "201", &first);
    let used = times_used(ctx, &code).await;
    let repeat = checkout(ctx, &cart, Some(json!(code)), Some(&key)).await;
    g.check("a repeat with the key is 200 with the same discounted order", repeat.status == 200 && repeat.json() == first.json(), first.body.clone(), &repeat);
    let now = times_used(ctx, &code).await;
    g.check_value("a repeat does not count another use", now == used, used.to_string(), now.to_string());
}

/// RACERS checkouts of different carts race for a code with RACE_LIMIT uses.
async fn race(ctx: &Ctx<'_>, g: &mut GroupOutcome, codes: &Codes, p: &Product) {
    let code = codes.get("RACE");
    let mut carts = Vec::with_capacity(RACERS);
    for _ in 0..RACERS {
        carts.push(ctx.cart_with(&[(p, 1)]).await);
    }
    let answers = join_all(carts.iter().map(|cart| checkout(ctx, cart, Some(json!(code)), None))).await;
    let created = answers.iter().filter(|a| a.status == 201).count();
    let refused = answers.iter().filter(|a| a.status == 409 && a.error_code().as_deref() == Some("discount_code_used_up")).count();
    let limit = RACE_LIMIT as usize;
    g.check_value(
        format!("{RACERS} concurrent checkouts with a code of {limit} uses: {limit} orders"),
        created == limit,
        limit.to_string(),
        created.to_string(),
    );
    g.check_value("the others are 409 discount_code_used_up", refused == RACERS - limit, (RACERS - limit).to_string(), refused.to_string());
    if let Some(odd) = answers.iter().find(|a| a.status != 201 && a.status != 409) {
        g.check("no other status while racing for a code", false, "201 or 409", odd);
    }
    let used = times_used(ctx, &code).await;
    g.check_value(format!("times_used ends at the limit ({limit})"), used == RACE_LIMIT as i64, limit.to_string(), used.to_string());
    let sql = "SELECT count(*) FROM orders WHERE discount_code = $1";
    let orders: i64 = ctx.db.query_one(sql, &[&code]).await.map(|r| r.get(0)).unwrap_or(-1);
    g.check_value(format!("exactly {limit} orders rows name the code"), orders == RACE_LIMIT as i64, limit.to_string(), orders.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percent_discount_rounds_half_up_and_a_fixed_one_stops_at_the_subtotal() {
        assert_eq!(discount_cents(10_000, Some(15), None), 1_500);
        assert_eq!(discount_cents(1_050, Some(10), None), 105);
        assert_eq!(discount_cents(1_005, Some(10), None), 101, "100.5 rounds up");
        assert_eq!(discount_cents(1_004, Some(10), None), 100);
        assert_eq!(discount_cents(49, Some(1), None), 0);
        assert_eq!(discount_cents(300, None, Some(700)), 300);
        assert_eq!(discount_cents(3_000, None, Some(700)), 700);
    }

    #[test]
    fn the_tasks_worked_example_adds_up() {
        let discount = discount_cents(10_000, Some(15), None);
        assert_eq!((discount, tax_cents(10_000 - discount)), (1_500, 701));
    }

    #[test]
    fn the_runs_codes_fit_the_32_character_limit() {
        let codes = Codes { prefix: format!("T{}", short_tag("0a1b2c3d-some-long-app-name")) };
        assert!(CODES.iter().all(|(name, ..)| codes.get(name).chars().count() <= 32));
    }
}
