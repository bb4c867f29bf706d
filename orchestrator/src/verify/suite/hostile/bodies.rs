//! Hostile bodies: deep nesting, oversized bodies (413 before reading them), bodies and odd
//! Content-Types on routes that take no body, and the precedence between these refusals.

use crate::verify::http::Http;
use crate::verify::outcome::GroupOutcome;
use crate::verify::raw::{post_large, Framing};

/// The largest body a body route must read (RULES.md §1).
pub const MAX_BODY: usize = 102_400;
const TEN_MB: usize = 10 * 1024 * 1024;

/// A JSON value `depth` levels deep (the value itself is level 1), of arrays or of objects.
pub fn nested(depth: usize, arrays: bool) -> String {
    let (open, close) = if arrays { ("[", "]") } else { ("{\"a\":", "}") };
    let inner = if arrays { "" } else { "1" };
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// `{"x": <nested>, …fields}` whose whole depth is `depth`.
fn with_nesting(depth: usize, arrays: bool, fields: &str) -> String {
    format!("{{\"x\": {}, {fields}}}", nested(depth - 1, arrays))
}

/// `fields` as a JSON object padded to exactly `size` bytes with an ignored field.
pub fn padded(size: usize, fields: &str) -> String {
    let empty = format!("{{\"pad\": \"\", {fields}}}");
    format!("{{\"pad\": \"{}\", {fields}}}", "x".repeat(size - empty.len()))
}

/// `items` adds to an open cart; `unknown_cart` is a well-formed cart id no cart has.
pub async fn run(g: &mut GroupOutcome, http: &Http, items: &str, product: i32, unknown_cart: &str) {
    let add = format!("\"product_id\": {product}, \"quantity\": 1");
    let pay = format!("\"cart_id\": \"{unknown_cart}\", \"email\": \"a@b.co\"");
    let json = [("Content-Type", "application/json")];
    for (path, fields, normal, code) in [(items, &add, 200, ""), ("/checkout", &pay, 404, "not_found")] {
        for arrays in [true, false] {
            let kind = if arrays { "arrays" } else { "objects" };
            let answer = http.send("POST", path, &json, Some(with_nesting(100, arrays, fields))).await;
            expect(g, &format!("POST {path} nested 100 deep ({kind})"), &answer, normal, code);
            let answer = http.send("POST", path, &json, Some(with_nesting(101, arrays, fields))).await;
            g.expect_error(&format!("POST {path} nested 101 deep ({kind})"), &answer, 400, "bad_request");
            let answer = http.send("POST", path, &json, Some(nested(10_000, arrays))).await;
            g.expect_error(&format!("POST {path} nested 10000 deep ({kind})"), &answer, 400, "bad_request");
        }
        let answer = http.send("POST", path, &json, Some(padded(MAX_BODY, fields))).await;
        expect(g, &format!("POST {path} with a body of exactly {MAX_BODY} bytes"), &answer, normal, code);
        for framing in [Framing::ContentLength, Framing::Chunked] {
            let answer = post_large(http, path, Some("application/json"), TEN_MB, framing).await;
            g.expect_error(&format!("POST {path} with 10 MB ({framing:?})"), &answer, 413, "payload_too_large");
        }
        let answer = post_large(http, path, Some("text/plain"), TEN_MB, Framing::ContentLength).await;
        g.expect_error(&format!("POST {path} with 10 MB of text/plain: 413 before 415"), &answer, 413, "payload_too_large");
        let answer = http.send("POST", path, &[], Some("{\"product_id\": ".into())).await;
        g.expect_error(&format!("POST {path} malformed JSON without Content-Type: 415 before 400"), &answer, 415, "unsupported_media_type");
    }
    let bad_items = "/carts/not-a-uuid/items";
    for (content_type, body) in [("text/plain", add.clone()), ("application/json", "{".to_string()), ("application/json", "{\"quantity\": \"x\"}".into())] {
        let answer = http.send("POST", bad_items, &[("Content-Type", content_type)], Some(body.clone())).await;
        g.expect_error(&format!("POST {bad_items} ({content_type}) {body}: 404 first"), &answer, 404, "not_found");
    }
    let answer = post_large(http, bad_items, Some("application/json"), TEN_MB, Framing::ContentLength).await;
    g.expect_error(&format!("POST {bad_items} with 10 MB: 404 first"), &answer, 404, "not_found");
}

/// Bodiless routes: any body and Content-Type are ignored; the answer is the one without them.
pub async fn ignored(g: &mut GroupOutcome, http: &Http, get_paths: &[String]) {
    let multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n";
    let odd = [
        ("multipart/form-data; boundary=XyZ", multipart),
        ("multipart/form-data", multipart),
        ("application/x-www-form-urlencoded", "a=1&b=%ZZ"),
        ("text/plain", "hello"),
        ("application/json", "{\"unclosed\": "),
        (";;;", "\u{0}\u{1}"),
    ];
    for path in get_paths {
        let plain = http.get(path).await;
        for (content_type, body) in odd {
            let answer = http.send("GET", path, &[("Content-Type", content_type)], Some(body.to_string())).await;
            let same = answer.status == plain.status && answer.json() == plain.json() && answer.is_json();
            g.check(format!("GET {path} with Content-Type {content_type} answers as without"), same, format!("{} {}", plain.status, plain.body), &answer);
        }
    }
    for (content_type, body) in odd {
        let answer = http.send("POST", "/carts", &[("Content-Type", content_type)], Some(body.to_string())).await;
        let cart = answer.json();
        let empty = answer.status == 201 && answer.is_json() && cart["items"] == serde_json::json!([]) && cart["subtotal_cents"] == 0;
        g.check(format!("POST /carts with Content-Type {content_type} creates a cart"), empty, "201 with an empty cart", &answer);
    }
}

fn expect(g: &mut GroupOutcome, label: &str, answer: &crate::verify::http::Exchange, status: u16, code: &str) {
    if code.is_empty() {
        g.expect_status(label, answer, status);
    } else {
        g.expect_error(label, answer, status, code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Depth of a JSON text, counted without recursion (brackets in strings do not count).
    fn depth(text: &str) -> usize {
        let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
        for c in text.chars() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (_, false, '"') => in_string = !in_string,
                (false, _, '[' | '{') => (depth, deepest) = (depth + 1, deepest.max(depth + 1)),
                (false, _, ']' | '}') => depth -= 1,
                _ => {}
            }
        }
        deepest
    }

    #[test]
    fn nested_bodies_have_the_depth_their_label_says() {
        assert_eq!(depth("{\"a\":[1]}"), 2);
        for arrays in [true, false] {
            assert_eq!(depth(&with_nesting(100, arrays, "\"quantity\": 1")), 100);
            assert_eq!(depth(&with_nesting(101, arrays, "\"quantity\": 1")), 101);
            let value: serde_json::Value = serde_json::from_str(&with_nesting(100, arrays, "\"quantity\": 1")).unwrap();
            assert_eq!(value["quantity"], 1);
        }
    }

    #[test]
    fn a_padded_body_has_exactly_the_size_asked_and_keeps_its_fields() {
        let body = padded(MAX_BODY, "\"product_id\": 7, \"quantity\": 1");
        assert_eq!(body.len(), MAX_BODY);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["product_id"], 7);
    }
}
