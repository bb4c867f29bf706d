//! The conformance suite's HTTP client: every exchange is kept whole, so a failing check can be
//! saved as the request/response pair that shows it.
//!
//! This is reqwest, on purpose, and not the load generator's own client: conformance is judged by
//! an independent, widely used client (what a real consumer of the API would use), so a framing
//! quirk that bakeoff's small client happens to tolerate cannot hide a contract break. Load and
//! readiness share the generator's client (`load::conn`).

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

/// No check may wait longer than this for an answer.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// One request and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    /// HTTP status; 0 when no answer came (see `body`).
    pub status: u16,
    pub content_type: Option<String>,
    /// The `Allow` header, when the answer has one.
    pub allow: Option<String>,
    /// The `X-Request-Id` header, when the answer has one (RULES.md §8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    pub body: String,
}

impl Exchange {
    /// The body as JSON (Null when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The contract's error code, if the body is an error body.
    pub fn error_code(&self) -> Option<String> {
        self.json()["error"]["code"].as_str().map(str::to_string)
    }

    pub fn is_json(&self) -> bool {
        self.content_type.as_deref().is_some_and(|c| c.to_ascii_lowercase().starts_with("application/json"))
    }
}

/// The methods an `Allow` header lists: upper-case, without `HEAD` (which the contract leaves
/// open), separated by commas and/or spaces.
pub fn allowed_methods(allow: &str) -> std::collections::BTreeSet<String> {
    allow.split([',', ' ', '\t']).map(str::to_ascii_uppercase).filter(|m| !m.is_empty() && m != "HEAD").collect()
}

/// A client for one app's base URL.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    pub fn new(base: String) -> Http {
        let client = reqwest::Client::builder().timeout(ANSWER_WITHIN).pool_max_idle_per_host(64).build().expect("an HTTP client");
        Http { client, base }
    }

    /// `http://host:port`.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn get(&self, path: &str) -> Exchange {
        self.send("GET", path, &[], None).await
    }

    /// POST with a JSON body (`Content-Type: application/json`).
    pub async fn post_json(&self, path: &str, body: &Value) -> Exchange {
        let headers = [("Content-Type", "application/json")];
        self.send("POST", path, &headers, Some(body.to_string())).await
    }

    /// Any request, exactly as given.
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<String>) -> Exchange {
        self.send_within(ANSWER_WITHIN, method, path, headers, body).await
    }

    /// Any request, allowed `limit` to answer (for checks that queue on purpose, like 200
    /// checkouts of one product waiting for its row lock).
    pub async fn send_within(&self, limit: Duration, method: &str, path: &str, headers: &[(&str, &str)], body: Option<String>) -> Exchange {
        let method_value = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.client.request(method_value, format!("{}{path}", self.base)).timeout(limit);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = &body {
            request = request.body(body.clone());
        }
        let mut exchange = Exchange {
            method: method.to_string(),
            path: path.to_string(),
            request_headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            request_body: body,
            status: 0,
            content_type: None,
            allow: None,
            request_id: None,
            body: String::new(),
        };
        match request.send().await {
            Ok(response) => {
                exchange.status = response.status().as_u16();
                let header = |name| response.headers().get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(str::to_string);
                exchange.content_type = header(reqwest::header::CONTENT_TYPE);
                exchange.allow = header(reqwest::header::ALLOW);
                exchange.request_id = header(reqwest::header::HeaderName::from_static("x-request-id"));
                exchange.body = response.text().await.unwrap_or_else(|e| format!("<body unreadable: {e}>"));
            }
            Err(e) if e.is_timeout() => exchange.body = format!("<no answer within {} s>", limit.as_secs()),
            Err(e) => exchange.body = format!("<request failed: {e}>"),
        }
        exchange
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_lists_compare_as_sets_of_methods_without_head() {
        let get: std::collections::BTreeSet<String> = ["GET".to_string()].into();
        assert_eq!(allowed_methods("GET"), get);
        assert_eq!(allowed_methods("get, HEAD"), get);
        assert_eq!(allowed_methods("HEAD,GET"), get);
        assert_eq!(allowed_methods(" GET  head "), get);
        assert_eq!(allowed_methods("POST, GET").len(), 2);
        assert!(allowed_methods("").is_empty());
    }
}
