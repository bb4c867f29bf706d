//! A worker's HTTP/1.1 keep-alive connections (hyper), one request at a time on each.

use std::cell::RefCell;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

/// Why an exchange failed, by error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    /// The app refused or reset the connection attempt.
    Connect,
    /// This machine ran out of ports or file descriptors: the generator's own limit.
    LocalResources,
    /// The connection broke mid-exchange.
    Io,
}

impl Fail {
    pub fn class(self) -> &'static str {
        match self {
            Fail::Connect => "connect",
            Fail::LocalResources => "local_resources",
            Fail::Io => "io",
        }
    }
}

/// An answer: status and body.
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

/// The idle connections of one worker (single-threaded: no locks).
pub struct Pool {
    addr: SocketAddr,
    host: String,
    idle: RefCell<Vec<SendRequest<Full<Bytes>>>>,
}

impl Pool {
    pub fn new(addr: SocketAddr) -> Pool {
        Pool { addr, host: addr.to_string(), idle: RefCell::new(Vec::new()) }
    }

    async fn connection(&self) -> Result<SendRequest<Full<Bytes>>, Fail> {
        while let Some(sender) = self.idle.borrow_mut().pop() {
            if !sender.is_closed() {
                return Ok(sender);
            }
        }
        let stream = tokio::net::TcpStream::connect(self.addr).await.map_err(|e| connect_fail(&e))?;
        stream.set_nodelay(true).map_err(|_| Fail::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|_| Fail::Connect)?;
        tokio::task::spawn_local(connection);
        Ok(sender)
    }

    /// Sends one request and reads the whole answer; the connection goes back to the pool.
    pub async fn exchange(&self, method: &'static str, path: &str, body: Option<Bytes>, key: Option<&str>) -> Result<Answer, Fail> {
        let mut sender = self.connection().await?;
        sender.ready().await.map_err(|_| Fail::Io)?;
        let mut request = hyper::Request::builder().method(method).uri(path).header("host", &self.host);
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let request = request.body(Full::new(body.unwrap_or_default())).map_err(|_| Fail::Io)?;
        let response = sender.send_request(request).await.map_err(|_| Fail::Io)?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.map_err(|_| Fail::Io)?.to_bytes();
        self.idle.borrow_mut().push(sender);
        Ok(Answer { status, body })
    }
}

fn connect_fail(error: &std::io::Error) -> Fail {
    match error.raw_os_error() {
        // EADDRNOTAVAIL, EMFILE, ENFILE: out of local ports or descriptors.
        Some(99) | Some(24) | Some(23) => Fail::LocalResources,
        _ => Fail::Connect,
    }
}
