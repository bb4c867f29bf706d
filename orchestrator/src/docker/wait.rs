//! Readiness as a value: what "ready" means for a container, with a timeout and poll interval.

use std::time::Duration;

/// What must hold before a started container counts as ready.
#[derive(Debug, Clone)]
pub enum WaitFor {
    /// A line of the container's output contains this text.
    Log { text: String },
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
            WaitFor::Log { text } => write!(f, "waiting for log text {text:?}"),
            WaitFor::Http { port, path, status } => {
                write!(f, "waiting for GET {path} on port {port} to answer {status}")
            }
            WaitFor::Sql { query, .. } => write!(f, "waiting for query {query:?} to answer"),
        }
    }
}

/// One probe of an HTTP condition: true when `GET path` on 127.0.0.1:`port` answers `status`.
pub(crate) async fn http_answers(port: u16, path: &str, status: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let probe = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut head = [0u8; 16];
        let n = stream.read(&mut head).await.ok()?;
        let line = std::str::from_utf8(&head[..n]).ok()?;
        line.split_whitespace().nth(1)?.parse::<u16>().ok()
    };
    let answered = tokio::time::timeout(Duration::from_secs(2), probe).await;
    matches!(answered, Ok(Some(code)) if code == status)
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
