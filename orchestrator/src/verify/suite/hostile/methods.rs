//! Every declared path with methods it does not declare: 405 `method_not_allowed` with an `Allow`
//! header naming exactly the declared methods; with a malformed id the path is unknown: 404.

use crate::verify::http::allowed_methods;
use crate::verify::outcome::GroupOutcome;

/// Methods no path declares. reqwest sends any token (TRACE, QUERY, FOO included); `CONNECT`
/// is left out: it names a proxy tunnel target, not a path, so no client sends it to a path.
const UNDECLARED: &[&str] = &["OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "QUERY", UNREGISTERED];
/// A token outside IANA's method registry: 405 where the server hands it to the app, else the
/// server parser's own 400 or 501 (RULES.md §1).
const UNREGISTERED: &str = "FOO";

/// The contract's paths (openapi.yaml) with their declared methods; `{cart}` and `{order}` are
/// filled with ids that exist.
const PATHS: &[(&str, &str)] = &[
    ("/health", "GET"),
    ("/products/search", "GET"),
    ("/products/{product}", "GET"),
    ("/carts", "POST"),
    ("/carts/{cart}", "GET"),
    ("/carts/{cart}/items", "POST"),
    ("/checkout", "POST"),
    ("/orders/{order}", "GET"),
];

/// The ids the paths are filled with.
pub struct Ids<'a> {
    pub product: String,
    pub cart: &'a str,
    pub order: String,
}

/// The server's own refusal of an unregistered token (RULES.md §1): a bare 400 or 501, or the
/// connection closed without an answer — but not a timeout, and not any other status.
fn refused_by_the_parser(answer: &crate::verify::http::Exchange) -> bool {
    matches!(answer.status, 400 | 501) || (answer.status == 0 && answer.body.starts_with("<request failed"))
}

pub async fn run(g: &mut GroupOutcome, http: &crate::verify::http::Http, ids: &Ids<'_>) {
    for (template, declared) in PATHS {
        let path = template.replace("{product}", &ids.product).replace("{cart}", ids.cart).replace("{order}", &ids.order);
        let other = if *declared == "GET" { "POST" } else { "GET" };
        for method in UNDECLARED.iter().chain([&other]) {
            let answer = http.send(method, &path, &[], None).await;
            let label = format!("{method} {path}");
            if *method == UNREGISTERED && answer.status != 405 {
                let ok = refused_by_the_parser(&answer);
                let expected = "405 with Allow, or the parser's 400 or 501, or the connection closed at once without an answer";
                g.check(format!("{label}: an unregistered token refused by the server's parser"), ok, expected, &answer);
                continue;
            }
            g.expect_error(&label, &answer, 405, "method_not_allowed");
            let allow = answer.allow.as_deref().unwrap_or_default();
            let ok = answer.status == 405 && allowed_methods(allow) == allowed_methods(declared);
            g.check(format!("{label}: Allow lists {declared}"), ok, format!("Allow: {declared} (HEAD may be added)"), &answer);
        }
    }
    for (method, path) in [("PUT", "/carts/not-a-uuid"), ("DELETE", "/products/abc"), ("OPTIONS", "/orders/0"), ("PATCH", "/carts/not-a-uuid/items")] {
        let answer = http.send(method, path, &[], None).await;
        g.expect_error(&format!("{method} {path}: a malformed id is an unknown path"), &answer, 404, "not_found");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::http::Exchange;

    fn answer(status: u16, body: &str) -> Exchange {
        Exchange {
            method: "FOO".into(),
            path: "/health".into(),
            request_headers: Vec::new(),
            request_body: None,
            status,
            content_type: None,
            allow: None,
            request_id: None,
            body: body.into(),
        }
    }

    #[test]
    fn a_parser_may_refuse_an_unregistered_token_with_400_501_or_a_close_but_never_a_hang_or_a_500() {
        assert!(refused_by_the_parser(&answer(400, "")));
        assert!(refused_by_the_parser(&answer(501, "")));
        assert!(refused_by_the_parser(&answer(0, "<request failed: connection closed before message completed>")));
        assert!(!refused_by_the_parser(&answer(0, "<no answer within 5 s>")));
        assert!(!refused_by_the_parser(&answer(500, "")));
        assert!(!refused_by_the_parser(&answer(200, "")));
    }
}
