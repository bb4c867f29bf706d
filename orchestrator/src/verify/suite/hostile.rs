//! Malformed and hostile input: each gets the documented 4xx and error code, never a 5xx, never
//! a wait beyond 5 s. Methods and bodies have a file each.

mod bodies;
mod methods;

use serde_json::json;

use super::Ctx;
use crate::verify::outcome::GroupOutcome;

/// One hostile request and the answer the contract wants.
struct Case {
    method: &'static str,
    path: String,
    content_type: Option<&'static str>,
    extra_header: Option<(&'static str, String)>,
    body: Option<String>,
    status: u16,
    code: &'static str,
}

fn case(method: &'static str, path: impl Into<String>, body: Option<&str>, status: u16, code: &'static str) -> Case {
    let content_type = body.map(|_| "application/json");
    Case { method, path: path.into(), content_type, extra_header: None, body: body.map(str::to_string), status, code }
}

pub async fn run(ctx: &Ctx<'_>) -> GroupOutcome {
    let mut g = GroupOutcome::new("hostile input");
    let product = &ctx.products(1, 20).await[0];
    let cart = ctx.cart_with(&[(product, 1)]).await;
    let paid = ctx.cart_with(&[(product, 1)]).await;
    let order = ctx.checkout(&paid, "hostile@example.com", None).await.json()["id"].to_string();
    let unknown_cart = "00000000-0000-4000-8000-000000000000";
    let gets =
        ["/health".to_string(), "/products/search?q=black".into(), format!("/products/{}", product.id), format!("/carts/{cart}"), format!("/orders/{order}")];
    bodies::ignored(&mut g, ctx.http, &gets).await;
    for case in cases(&cart, product.id) {
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(ct) = case.content_type {
            headers.push(("Content-Type", ct));
        }
        if let Some((name, value)) = &case.extra_header {
            headers.push((name, value));
        }
        let answer = ctx.http.send(case.method, &case.path, &headers, case.body.clone()).await;
        let label = format!("{} {} {}", case.method, case.path, case.body.as_deref().unwrap_or("").chars().take(60).collect::<String>());
        if case.status == 200 {
            g.expect_status(&label, &answer, 200);
        } else {
            g.expect_error(&label, &answer, case.status, case.code);
        }
    }
    bodies::run(&mut g, ctx.http, &format!("/carts/{cart}/items"), product.id, unknown_cart).await;
    let ids = methods::Ids { product: product.id.to_string(), cart: &cart, order };
    methods::run(&mut g, ctx.http, &ids).await;
    g
}

fn cases(cart: &str, product: i32) -> Vec<Case> {
    let items = format!("/carts/{cart}/items");
    let ok_checkout = |email: &str| json!({"cart_id": cart, "email": email}).to_string();
    let mut cases = vec![
        case("POST", &items, Some("{"), 400, "bad_request"),
        case("POST", &items, Some("[]"), 400, "bad_request"),
        case("POST", &items, Some("\"text\""), 400, "bad_request"),
        case("POST", &items, Some("null"), 400, "bad_request"),
        case("POST", &items, Some(""), 400, "bad_request"),
        case("POST", &items, Some("{}"), 400, "bad_request"),
        case("POST", &items, Some(&format!("{{\"product_id\": \"{product}\", \"quantity\": 1}}")), 400, "bad_request"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}.5, \"quantity\": 1}}")), 400, "bad_request"),
        case("POST", &items, Some("{\"product_id\": true, \"quantity\": 1}"), 400, "bad_request"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": null}}")), 400, "bad_request"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": [1]}}")), 400, "bad_request"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": -1}}")), 422, "validation_failed"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": 1e30}}")), 422, "validation_failed"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": 4294967297}}")), 422, "validation_failed"),
        case("POST", &items, Some("{\"product_id\": 99999999999, \"quantity\": 1}"), 422, "validation_failed"),
        case("POST", &items, Some("{\"product_id\": -5, \"quantity\": 1}"), 422, "validation_failed"),
        case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": 1, \"gift\": {{\"wrap\": [1, 2]}}}}")), 200, ""),
        case("POST", &items, Some(&format!("{{\"note\": \"{}\", \"product_id\": {product}, \"quantity\": 1}}", "x".repeat(50_000))), 200, ""),
        case("POST", "/checkout", Some("{\"cart_id\": "), 400, "bad_request"),
        case("POST", "/checkout", Some("{\"cart_id\": 5, \"email\": \"a@b.co\"}"), 400, "bad_request"),
        case("POST", "/checkout", Some(&json!({"cart_id": cart}).to_string()), 400, "bad_request"),
        case("POST", "/checkout", Some(&json!({"cart_id": cart, "email": ["a@b.co"]}).to_string()), 400, "bad_request"),
        case("POST", "/checkout", Some(&json!({"cart_id": "not-a-uuid", "email": "a@b.co"}).to_string()), 422, "validation_failed"),
        case("POST", "/checkout", Some(&ok_checkout("no-at-sign")), 422, "validation_failed"),
        case("POST", "/checkout", Some(&ok_checkout("a@nodot")), 422, "validation_failed"),
        case("POST", "/checkout", Some(&ok_checkout("@example.com")), 422, "validation_failed"),
        case("POST", "/checkout", Some(&ok_checkout("a@@example.com")), 422, "validation_failed"),
        case("POST", "/checkout", Some(&ok_checkout(&format!("{}@example.com", "a".repeat(250)))), 422, "validation_failed"),
        case("POST", "/checkout", Some(&ok_checkout("a\u{0}b@example.com")), 422, "validation_failed"),
        case("POST", "/checkout", Some(&format!("{{\"cart_id\": \"{cart}\", \"email\": \"a\\ud800@example.com\"}}")), 422, "validation_failed"),
        case("GET", "/products/search?limit=0", None, 422, "validation_failed"),
        case("GET", "/products/search?limit=101", None, 422, "validation_failed"),
        case("GET", "/products/search?limit=abc", None, 422, "validation_failed"),
        case("GET", "/products/search?offset=-1", None, 422, "validation_failed"),
        case("GET", "/products/search?offset=10001", None, 422, "validation_failed"),
        case("GET", "/products/search?sort=name", None, 422, "validation_failed"),
        case("GET", "/products/search?in_stock=yes", None, 422, "validation_failed"),
        case("GET", format!("/products/search?q={}", "a".repeat(201)), None, 422, "validation_failed"),
        case("GET", "/products/search?category=1.5", None, 422, "validation_failed"),
        case("GET", "/products/search?min_price=-1", None, 422, "validation_failed"),
        case("GET", "/products/search?q=%00", None, 422, "validation_failed"),
        case("GET", "/products/search?brand=a%00", None, 422, "validation_failed"),
        case("GET", "/products/search?limit=99999999999999999999", None, 422, "validation_failed"),
        case("GET", "/products/search?q=%27%3B%20DROP%20TABLE%20products%3B%20--", None, 200, ""),
    ];
    cases.push(Case {
        content_type: None,
        ..case("POST", &items, Some(&format!("{{\"product_id\": {product}, \"quantity\": 1}}")), 415, "unsupported_media_type")
    });
    cases.push(Case { content_type: Some("text/plain"), ..case("POST", "/checkout", Some(&ok_checkout("a@b.co")), 415, "unsupported_media_type") });
    let key_case = |key: String| Case {
        extra_header: Some(("Idempotency-Key", key)),
        ..case("POST", "/checkout", Some(&ok_checkout("a@b.co")), 422, "validation_failed")
    };
    cases.push(key_case("has space".into()));
    cases.push(key_case("k".repeat(65)));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_at_least_forty_hostile_cases() {
        assert!(cases("00000000-0000-4000-8000-000000000000", 40).len() >= 40);
    }
}
