//! The typed parts of an app manifest that the orchestrator reads back: the tag vocabulary, the
//! most requests an app serves at once, and which metric family plays which part (RULES.md §8).

use serde::{Deserialize, Serialize};

/// How the app talks to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Orm {
    /// A full ORM with models (Active Record, Eloquent, Django ORM, TypeORM).
    Full,
    /// A thin mapper or query builder.
    Micro,
    /// SQL through the driver.
    Raw,
}

/// How one process serves several requests at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Concurrency {
    /// An event loop (Node, asyncio).
    Async,
    /// OS threads, or goroutines on them.
    Threads,
    /// JVM virtual threads.
    VirtualThreads,
    /// One request per process (PHP-FPM children).
    Processes,
}

/// How many server processes the app runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Processes {
    Single,
    PerCpu,
}

/// The manifest's `tags`: one closed vocabulary, so the report can group apps by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tags {
    pub orm: Orm,
    pub concurrency: Concurrency,
    pub processes: Processes,
}

/// The most requests the app serves at once; exactly one field is set. Requests beyond it wait
/// in the server's accept queue or backlog, where the app's own metrics cannot see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaxInFlight {
    /// Per server process (`WORKERS` of them): threads, or FPM children per worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_worker: Option<u32>,
    /// For the whole app, however many processes it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// No limit of the app's own; the text says what bounds it in practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unbounded: Option<String>,
}

impl MaxInFlight {
    /// Exactly one of the three is set, and numbers are at least 1.
    pub fn check(&self) -> Result<(), String> {
        let set = [self.per_worker.is_some(), self.total.is_some(), self.unbounded.is_some()].iter().filter(|s| **s).count();
        if set != 1 {
            return Err("max_in_flight needs exactly one of `per_worker: N`, `total: N` or `unbounded: \"why\"`".into());
        }
        if self.per_worker == Some(0) || self.total == Some(0) {
            return Err("max_in_flight must be at least 1".into());
        }
        Ok(())
    }

    /// The limit for an app running `workers` processes, or None when unbounded.
    pub fn limit(&self, workers: u32) -> Option<u32> {
        self.per_worker.map(|n| n * workers.max(1)).or(self.total)
    }
}

/// The request-duration histogram and the names of its three labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDurationFamily {
    /// The histogram's family name (as in its `# TYPE` line), in seconds.
    pub family: String,
    pub method: String,
    pub route: String,
    pub status: String,
}

/// What the `gc` family counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GcMeasure {
    Seconds,
    Collections,
}

/// The garbage collector's family and what it measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcFamily {
    pub family: String,
    pub measures: GcMeasure,
}

/// The manifest's `observability` block: the libraries used and which family plays which part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observability {
    /// The access log's library and how it is wired, in words.
    pub access_log: String,
    /// The metrics library (and its multiprocess mode, where it has one), in words.
    pub metrics: String,
    pub request_duration: RequestDurationFamily,
    pub pool_in_use: String,
    pub pool_idle: String,
    pub pool_waiting: String,
    pub cpu_seconds: String,
    pub memory_bytes: String,
    pub gc: GcFamily,
    /// Node.js only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_loop_lag: Option<String>,
}

impl Observability {
    /// Every family named, with the part it plays.
    pub fn families(&self) -> Vec<(&'static str, &str)> {
        let mut all = vec![
            ("request_duration", self.request_duration.family.as_str()),
            ("pool_in_use", self.pool_in_use.as_str()),
            ("pool_idle", self.pool_idle.as_str()),
            ("pool_waiting", self.pool_waiting.as_str()),
            ("cpu_seconds", self.cpu_seconds.as_str()),
            ("memory_bytes", self.memory_bytes.as_str()),
            ("gc", self.gc.family.as_str()),
        ];
        if let Some(lag) = &self.event_loop_lag {
            all.push(("event_loop_lag", lag.as_str()));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_outside_the_vocabulary_is_refused_naming_the_allowed_ones() {
        let error = serde_saphyr::from_str::<Tags>("orm: hibernate\nconcurrency: async\nprocesses: single\n").unwrap_err().to_string();
        assert!(error.contains("hibernate") && error.contains("full"), "{error}");
    }

    #[test]
    fn max_in_flight_takes_exactly_one_form() {
        let both: MaxInFlight = serde_saphyr::from_str("per_worker: 5\ntotal: 8\n").unwrap();
        assert!(both.check().is_err());
        let none: MaxInFlight = serde_saphyr::from_str("{}").unwrap();
        assert!(none.check().is_err());
        let threads: MaxInFlight = serde_saphyr::from_str("per_worker: 5\n").unwrap();
        assert_eq!((threads.check(), threads.limit(2)), (Ok(()), Some(10)));
        let open: MaxInFlight = serde_saphyr::from_str("unbounded: a goroutine per connection\n").unwrap();
        assert_eq!((open.check(), open.limit(2)), (Ok(()), None));
    }
}
