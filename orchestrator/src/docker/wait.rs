//! Readiness as a value: what "ready" means for a container, with a timeout and poll interval.

use std::time::Duration;

/// What must hold before a started container counts as ready.
#[derive(Debug, Clone)]
pub enum WaitFor {
    /// An HTTP GET of `path` on the published `port` answers with `status`.
    Http { port: u16, path: String, status: u16 },
    /// A PostgreSQL connection to the published `port` runs `query` without error.
    Sql { port: u16, url: String, query: String },
}

/// A readiness condition with its limits.
#[derive(Debug, Clone)]
pub struct Readiness {
    pub wait_for: WaitFor,
    pub timeout: Duration,
    pub poll: Duration,
}

impl Readiness {
    pub fn new(wait_for: WaitFor, timeout: Duration) -> Self {
        Readiness { wait_for, timeout, poll: Duration::from_millis(200) }
    }
}

impl std::fmt::Display for WaitFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitFor::Http { port, path, status } => {
                write!(f, "waiting for GET {path} on port {port} to answer {status}")
            }
            WaitFor::Sql { query, .. } => write!(f, "waiting for query {query:?} to answer"),
        }
    }
}

/// One probe of an HTTP condition: true when `GET path` on `host`:`port` (the engine's reach
/// address, 127.0.0.1 on one machine) answers `status` within 2 s — read by the same client as
/// the load, so an answer in small pieces is an answer.
pub(crate) async fn http_answers(host: &str, port: u16, path: &str, status: u16) -> bool {
    let Ok(Some(addr)) = tokio::net::lookup_host((host, port)).await.map(|mut found| found.next()) else { return false };
    let pool = crate::load::conn::Pool::new(addr);
    let answered = tokio::time::timeout(Duration::from_secs(2), pool.exchange("GET", path, None, None)).await;
    matches!(answered, Ok(Ok(answer)) if answer.status == status)
}

/// One probe of a SQL condition: true when `query` runs on the database at `url`.
pub(crate) async fn sql_answers(url: &str, query: &str) -> bool {
    let probe = async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.ok()?;
        let task = tokio::spawn(connection);
        let answered = client.simple_query(query).await.is_ok();
        drop(client);
        let _ = task.await;
        Some(answered)
    };
    let answered = tokio::time::timeout(Duration::from_secs(5), probe).await;
    matches!(answered, Ok(Some(true)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::load::fixture::{serve_with, Behaviour};

    async fn probe(behaviour: Behaviour, status: u16) -> bool {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(serve_with(listener, behaviour, Arc::default()));
        http_answers("127.0.0.1", port, "/health", status).await
    }

    #[tokio::test]
    async fn a_health_answer_written_one_byte_at_a_time_counts_as_ready() {
        assert!(probe(Behaviour::OneByteWrites, 200).await);
    }

    #[tokio::test]
    async fn another_status_or_a_stalled_server_is_not_ready() {
        assert!(!probe(Behaviour::Fixed(Duration::ZERO), 204).await);
        assert!(!probe(Behaviour::Stall, 200).await);
    }
}
