//! Every declared path with methods it does not declare: 405 `method_not_allowed` with an `Allow`
//! header naming exactly the declared methods; with a malformed id the path is unknown: 404.

use crate::verify::http::allowed_methods;
use crate::verify::outcome::GroupOutcome;

/// Methods no path declares. reqwest sends any token (TRACE, QUERY, FOO included); `CONNECT`
/// is left out: it names a proxy tunnel target, not a path, so no client sends it to a path.
const UNDECLARED: &[&str] = &["OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "QUERY", "FOO"];

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

pub async fn run(g: &mut GroupOutcome, http: &crate::verify::http::Http, ids: &Ids<'_>) {
    for (template, declared) in PATHS {
        let path = template.replace("{product}", &ids.product).replace("{cart}", ids.cart).replace("{order}", &ids.order);
        let other = if *declared == "GET" { "POST" } else { "GET" };
        for method in UNDECLARED.iter().chain([&other]) {
            let answer = http.send(method, &path, &[], None).await;
            let label = format!("{method} {path}");
            g.expect_error(&label, &answer, 405, "method_not_allowed");
            let allow = answer.allow.as_deref().unwrap_or_default();
            let ok = answer.status == 405 && allowed_methods(allow) == allowed_methods(declared);
            g.check(format!("{label}: Allow lists {declared}"), ok, format!("Allow: {declared} (HEAD may be added)"), &answer);
        }
    }
    for (method, path) in [("PUT", "/carts/not-a-uuid"), ("DELETE", "/products/abc"), ("OPTIONS", "/orders/0"), ("FOO", "/carts/not-a-uuid/items")] {
        let answer = http.send(method, path, &[], None).await;
        g.expect_error(&format!("{method} {path}: a malformed id is an unknown path"), &answer, 404, "not_found");
    }
}
