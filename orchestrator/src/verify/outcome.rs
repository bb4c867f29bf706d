//! What the suite found: per app, per check group, every failure with its exchange.

use serde::Serialize;

use super::http::Exchange;

/// One failed check.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// What was checked.
    pub check: String,
    /// What the contract wants.
    pub expected: String,
    /// The exchange that showed otherwise (absent for database-side checks).
    pub exchange: Option<Exchange>,
    /// What was found, when not the exchange itself.
    pub found: String,
}

/// The checks of one group (search, checkout, …) on one app.
#[derive(Debug, Clone, Serialize)]
pub struct GroupOutcome {
    pub group: &'static str,
    pub checks: u32,
    pub failures: Vec<Failure>,
}

impl GroupOutcome {
    pub fn new(group: &'static str) -> GroupOutcome {
        GroupOutcome { group, checks: 0, failures: Vec::new() }
    }

    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// Records a check of an HTTP exchange.
    pub fn check(&mut self, check: impl Into<String>, ok: bool, expected: impl Into<String>, exchange: &Exchange) {
        self.checks += 1;
        if !ok {
            let failure = Failure { check: check.into(), expected: expected.into(), exchange: Some(exchange.clone()), found: String::new() };
            self.failures.push(failure);
        }
    }

    /// Records a check of something else (database state, counts).
    pub fn check_value(&mut self, check: impl Into<String>, ok: bool, expected: impl Into<String>, found: impl Into<String>) {
        self.checks += 1;
        if !ok {
            self.failures.push(Failure { check: check.into(), expected: expected.into(), exchange: None, found: found.into() });
        }
    }

    /// Checks that an exchange answered `status` with the contract's error `code`.
    pub fn expect_error(&mut self, check: &str, exchange: &Exchange, status: u16, code: &str) {
        let ok = exchange.status == status && exchange.error_code().as_deref() == Some(code) && exchange.is_json();
        self.check(check, ok, format!("{status} with error code {code} as JSON"), exchange);
    }

    /// Checks that an exchange answered `status` with a JSON body.
    pub fn expect_status(&mut self, check: &str, exchange: &Exchange, status: u16) -> bool {
        let ok = exchange.status == status && exchange.is_json();
        self.check(check, ok, format!("{status} with a JSON body"), exchange);
        ok
    }
}

/// Everything verify found about one app.
#[derive(Debug, Clone, Serialize)]
pub struct AppOutcome {
    pub app: String,
    /// Build, start or health failure that kept the suite from running.
    pub error: Option<String>,
    /// Wall time of the image build; None when it failed or was a cache hit.
    pub build_ms: Option<u64>,
    pub groups: Vec<GroupOutcome>,
    /// The image was already up to date: nothing was rebuilt.
    pub build_cached: bool,
}

impl AppOutcome {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.groups.iter().all(GroupOutcome::passed)
    }
}

/// The whole verify run.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyOutcome {
    pub apps: Vec<AppOutcome>,
}

impl VerifyOutcome {
    pub fn passed(&self) -> bool {
        self.apps.iter().all(AppOutcome::passed)
    }
}
