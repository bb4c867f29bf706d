//! A worker's HTTP/1.1 keep-alive connections, one request at a time on each.
//!
//! A deliberately small client: the request is written as bytes, the answer's head parsed for
//! status, `content-length`, chunked encoding and `connection: close`. hyper's client was the
//! first version; it spent about twice wrk's CPU per request (a channel hop to a connection task
//! per request), enough to make the generator the bottleneck on a 2-core machine.

use std::cell::RefCell;
use std::net::SocketAddr;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Why an exchange failed, by error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    /// The app refused or reset the connection attempt.
    Connect,
    /// This machine ran out of ports or file descriptors: the generator's own limit.
    LocalResources,
    /// The connection broke mid-exchange, or the answer was not HTTP/1.1.
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
    /// True when the answer came on the second try (a resend on a fresh connection).
    pub retried: bool,
}

/// One keep-alive connection and its read buffer.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

/// The idle connections of one worker (single-threaded: no locks).
pub struct Pool {
    addr: SocketAddr,
    host: String,
    idle: RefCell<Vec<Connection>>,
}

impl Pool {
    pub fn new(addr: SocketAddr) -> Pool {
        Pool { addr, host: addr.to_string(), idle: RefCell::new(Vec::new()) }
    }

    async fn connect(&self) -> Result<Connection, Fail> {
        let stream = TcpStream::connect(self.addr).await.map_err(|e| connect_fail(&e))?;
        stream.set_nodelay(true).map_err(|_| Fail::Connect)?;
        Ok(Connection { stream, buffer: Vec::with_capacity(16 * 1024) })
    }

    /// Sends one request and reads the whole answer; the connection goes back to the pool
    /// unless the server closes it. Like browsers, a request on a kept-alive connection that the
    /// server had already closed (nothing came back) is sent once more on a new connection.
    pub async fn exchange(&self, method: &'static str, path: &str, body: Option<Bytes>, key: Option<&str>) -> Result<Answer, Fail> {
        let request = self.request(method, path, body.as_deref(), key);
        let idle = self.idle.borrow_mut().pop();
        let (mut connection, answer) = match idle {
            Some(mut reused) => match reused.send(&request).await {
                Err(Fail::Io) if reused.buffer.is_empty() => {
                    let mut fresh = self.connect().await?;
                    let answer = fresh.send(&request).await.map(|(a, keep)| (Answer { retried: true, ..a }, keep));
                    (fresh, answer)
                }
                answer => (reused, answer),
            },
            None => {
                let mut fresh = self.connect().await?;
                let answer = fresh.send(&request).await;
                (fresh, answer)
            }
        };
        let (answer, keep) = answer?;
        if keep {
            connection.buffer.clear();
            self.idle.borrow_mut().push(connection);
        }
        Ok(answer)
    }

    fn request(&self, method: &str, path: &str, body: Option<&[u8]>, key: Option<&str>) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + path.len() + body.map_or(0, <[u8]>::len));
        out.extend_from_slice(method.as_bytes());
        out.push(b' ');
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(b" HTTP/1.1\r\nhost: ");
        out.extend_from_slice(self.host.as_bytes());
        if let Some(key) = key {
            out.extend_from_slice(b"\r\nidempotency-key: ");
            out.extend_from_slice(key.as_bytes());
        }
        match body {
            Some(body) => {
                out.extend_from_slice(format!("\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len()).as_bytes());
                out.extend_from_slice(body);
            }
            None => out.extend_from_slice(b"\r\n\r\n"),
        }
        out
    }
}

/// What an answer's head says about its body.
struct Head {
    status: u16,
    head_len: usize,
    content_length: Option<usize>,
    chunked: bool,
    close: bool,
}

impl Connection {
    /// Writes the request and reads its answer.
    async fn send(&mut self, request: &[u8]) -> Result<(Answer, bool), Fail> {
        self.stream.write_all(request).await.map_err(|_| Fail::Io)?;
        self.read_answer().await
    }

    /// Reads one answer; also says whether the connection may be used again.
    async fn read_answer(&mut self) -> Result<(Answer, bool), Fail> {
        let head = loop {
            if let Some(head) = parse_head(&self.buffer)? {
                break head;
            }
            self.fill().await?;
        };
        self.buffer.drain(..head.head_len);
        let body = if head.chunked {
            self.read_chunked().await?
        } else {
            let length = head.content_length.unwrap_or(0);
            while self.buffer.len() < length {
                self.fill().await?;
            }
            let body = self.buffer[..length].to_vec();
            self.buffer.drain(..length);
            body
        };
        Ok((Answer { status: head.status, body: Bytes::from(body), retried: false }, !head.close))
    }

    async fn fill(&mut self) -> Result<(), Fail> {
        self.buffer.reserve(16 * 1024);
        match self.stream.read_buf(&mut self.buffer).await {
            Ok(0) | Err(_) => Err(Fail::Io),
            Ok(_) => Ok(()),
        }
    }

    async fn read_chunked(&mut self) -> Result<Vec<u8>, Fail> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(&self.buffer, b"\r\n") {
                    break i;
                }
                self.fill().await?;
            };
            let size_text = std::str::from_utf8(&self.buffer[..line_end]).map_err(|_| Fail::Io)?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).map_err(|_| Fail::Io)?;
            while self.buffer.len() < line_end + 2 + size + 2 {
                self.fill().await?;
            }
            body.extend_from_slice(&self.buffer[line_end + 2..line_end + 2 + size]);
            self.buffer.drain(..line_end + 2 + size + 2);
            if size == 0 {
                return Ok(body);
            }
        }
    }
}

/// Parses a complete answer head at the start of `buffer`; None while it is incomplete.
fn parse_head(buffer: &[u8]) -> Result<Option<Head>, Fail> {
    let Some(end) = find(buffer, b"\r\n\r\n") else { return Ok(None) };
    let text = std::str::from_utf8(&buffer[..end]).map_err(|_| Fail::Io)?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or(Fail::Io)?;
    let mut head = Head { status, head_len: end + 4, content_length: None, chunked: false, close: status_line.starts_with("HTTP/1.0") };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            head.content_length = value.parse().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked = value.eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            head.close = value.eq_ignore_ascii_case("close");
        }
    }
    Ok(Some(head))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn connect_fail(error: &std::io::Error) -> Fail {
    match error.raw_os_error() {
        // EADDRNOTAVAIL, EMFILE, ENFILE: out of local ports or descriptors.
        Some(99) | Some(24) | Some(23) => Fail::LocalResources,
        _ => Fail::Connect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_gives_status_length_and_keep_alive() {
        let head = parse_head(b"HTTP/1.1 201 Created\r\nContent-Length: 12\r\nX: y\r\n\r\n{\"a\":1}").unwrap().unwrap();
        assert_eq!((head.status, head.content_length, head.chunked, head.close), (201, Some(12), false, false));
        assert_eq!(head.head_len, 50);
    }

    #[test]
    fn chunked_and_close_are_recognised_in_any_case() {
        let head = parse_head(b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\nConnection: close\r\n\r\n").unwrap().unwrap();
        assert!(head.chunked && head.close);
    }

    #[test]
    fn an_incomplete_head_waits_and_garbage_fails() {
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Le").unwrap().is_none());
        assert!(parse_head(b"garbage\r\n\r\n").is_err());
    }
}
