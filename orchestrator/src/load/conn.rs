//! A worker's HTTP/1.1 keep-alive connections, one request at a time on each.
//!
//! A deliberately small client: the request is written as bytes; the answer's head is parsed by
//! `httparse` (at most 64 headers and 64 KiB, else a `protocol` failure). Bodies follow RFC 9112
//! §6.3: `Transfer-Encoding` as a list (chunked when it is the final coding, chunk extensions and
//! trailers read past; any other final coding means the body ends when the server closes), then
//! `Content-Length` (conflicting values are a `protocol` failure), else delimited by the close; no
//! body for 1xx, 204 and 304. 1xx interim answers are skipped. `Connection` is a token list (any
//! `close` ends the connection; HTTP/1.0 closes unless `keep-alive` is listed). Bytes after a
//! complete answer, or arriving on an idle connection, are a `desync` failure and the connection is
//! thrown away — never silently cleared. hyper's client was the first version; it spent about twice
//! wrk's CPU per request (a channel hop to a connection task per request), enough to make the
//! generator the bottleneck on a 2-core machine.

use std::cell::RefCell;
use std::net::SocketAddr;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Most headers in an answer's head.
const MAX_HEADERS: usize = 64;
/// Largest answer head, and largest chunk-size or trailer line.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Everything but the unreserved characters (`A-Z a-z 0-9 - _ . ~`, RFC 3986) is percent-encoded
/// in a query value.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A query-string value, percent-encoded: the one URL encoder of the load and the conformance
/// suite.
pub fn query_value(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// Why an exchange failed, by error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    /// The app refused or reset the connection attempt.
    Connect,
    /// This machine ran out of ports or file descriptors: the generator's own limit.
    LocalResources,
    /// The connection broke mid-exchange.
    Io,
    /// The answer was not valid HTTP/1.1 (malformed head, too many or too large headers, a bad
    /// chunk size, conflicting lengths).
    Protocol,
    /// Bytes came after a complete answer, or on an idle connection: client and server no longer
    /// agree where answers start.
    Desync,
}

impl Fail {
    pub fn class(self) -> &'static str {
        match self {
            Fail::Connect => "connect",
            Fail::LocalResources => "local_resources",
            Fail::Io => "io",
            Fail::Protocol => "protocol",
            Fail::Desync => "desync",
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
    /// unless the server closes it. An idle connection the server has closed meanwhile is
    /// replaced before anything is sent. When a reused connection breaks after the request was
    /// written and before any answer byte came, the request is sent once more on a new connection
    /// only if that is safe — a GET, or a POST with an Idempotency-Key (`Answer::retried`); any
    /// other request fails with `io`, since the server may have acted on it.
    pub async fn exchange(&self, method: &'static str, path: &str, body: Option<Bytes>, key: Option<&str>) -> Result<Answer, Fail> {
        let request = self.request(method, path, body.as_deref(), key);
        let safe = method == "GET" || key.is_some();
        let (connection, answer) = match self.reusable()? {
            Some(mut reused) => match reused.send(&request).await {
                Err(Fail::Io) if reused.buffer.is_empty() && safe => {
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
        if !connection.buffer.is_empty() {
            return Err(Fail::Desync);
        }
        if keep {
            self.idle.borrow_mut().push(connection);
        }
        Ok(answer)
    }

    /// An idle connection still open, if any: one the server closed is dropped; one with unread
    /// bytes is a desync.
    fn reusable(&self) -> Result<Option<Connection>, Fail> {
        while let Some(connection) = self.idle.borrow_mut().pop() {
            let mut probe = [0u8; 1];
            match connection.stream.try_read(&mut probe) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(Some(connection)),
                Ok(n) if n > 0 => return Err(Fail::Desync),
                _ => drop(connection),
            }
        }
        Ok(None)
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

/// How an answer's body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// No body (1xx, 204, 304).
    Empty,
    Length(usize),
    Chunked,
    /// Until the server closes the connection.
    Close,
}

/// What an answer's head says.
#[derive(Debug)]
struct Head {
    status: u16,
    head_len: usize,
    framing: Framing,
    keep_alive: bool,
}

impl Connection {
    /// Writes the request and reads its answer.
    async fn send(&mut self, request: &[u8]) -> Result<(Answer, bool), Fail> {
        self.stream.write_all(request).await.map_err(|_| Fail::Io)?;
        self.read_answer().await
    }

    /// Reads one final answer (interim 1xx answers skipped); also says whether the connection
    /// may be used again.
    async fn read_answer(&mut self) -> Result<(Answer, bool), Fail> {
        loop {
            let head = loop {
                if let Some(head) = parse_head(&self.buffer)? {
                    break head;
                }
                self.fill().await?;
            };
            self.buffer.drain(..head.head_len);
            if (100..200).contains(&head.status) {
                continue;
            }
            let body = match head.framing {
                Framing::Empty => Vec::new(),
                Framing::Length(length) => self.take(length).await?,
                Framing::Chunked => self.read_chunked().await?,
                Framing::Close => self.read_to_close().await?,
            };
            return Ok((Answer { status: head.status, body: Bytes::from(body), retried: false }, head.keep_alive));
        }
    }

    /// Reads more bytes; false when the server closed the connection.
    async fn read_more(&mut self) -> Result<bool, Fail> {
        self.buffer.reserve(16 * 1024);
        match self.stream.read_buf(&mut self.buffer).await {
            Ok(0) => Ok(false),
            Ok(_) => Ok(true),
            Err(_) => Err(Fail::Io),
        }
    }

    async fn fill(&mut self) -> Result<(), Fail> {
        if self.read_more().await? {
            Ok(())
        } else {
            Err(Fail::Io)
        }
    }

    /// The next `length` bytes.
    async fn take(&mut self, length: usize) -> Result<Vec<u8>, Fail> {
        while self.buffer.len() < length {
            self.fill().await?;
        }
        Ok(self.buffer.drain(..length).collect())
    }

    async fn read_to_close(&mut self) -> Result<Vec<u8>, Fail> {
        while self.read_more().await? {}
        Ok(std::mem::take(&mut self.buffer))
    }

    /// One line without its CRLF (chunk sizes and trailers).
    async fn line(&mut self) -> Result<Vec<u8>, Fail> {
        loop {
            if let Some(end) = find(&self.buffer, b"\r\n") {
                let line = self.buffer[..end].to_vec();
                self.buffer.drain(..end + 2);
                return Ok(line);
            }
            if self.buffer.len() > MAX_HEAD_BYTES {
                return Err(Fail::Protocol);
            }
            self.fill().await?;
        }
    }

    async fn read_chunked(&mut self) -> Result<Vec<u8>, Fail> {
        let mut body = Vec::new();
        loop {
            let size = chunk_size(&self.line().await?)?;
            if size == 0 {
                while !self.line().await?.is_empty() {}
                return Ok(body);
            }
            let chunk = self.take(size + 2).await?;
            if !chunk.ends_with(b"\r\n") {
                return Err(Fail::Protocol);
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
}

/// The size of a chunk from its size line, extensions (`;name=value`) ignored.
fn chunk_size(line: &[u8]) -> Result<usize, Fail> {
    let text = std::str::from_utf8(line).map_err(|_| Fail::Protocol)?;
    let digits = text.split(';').next().unwrap_or("").trim_matches([' ', '\t']);
    usize::from_str_radix(digits, 16).map_err(|_| Fail::Protocol)
}

/// Parses a complete answer head at the start of `buffer`; None while it is incomplete.
fn parse_head(buffer: &[u8]) -> Result<Option<Head>, Fail> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(buffer) {
        Ok(httparse::Status::Complete(n)) if n <= MAX_HEAD_BYTES => n,
        Ok(httparse::Status::Partial) if buffer.len() <= MAX_HEAD_BYTES => return Ok(None),
        _ => return Err(Fail::Protocol),
    };
    let status = response.code.ok_or(Fail::Protocol)?;
    if status == 101 {
        return Err(Fail::Protocol);
    }
    let (mut length, mut last_coding, mut close, mut keep_alive) = (None, None::<String>, false, false);
    for header in response.headers.iter() {
        let value = std::str::from_utf8(header.value).map_err(|_| Fail::Protocol)?;
        let tokens = || value.split(',').map(str::trim).filter(|t| !t.is_empty());
        if header.name.eq_ignore_ascii_case("content-length") {
            let n: usize = value.trim().parse().map_err(|_| Fail::Protocol)?;
            if length.is_some_and(|l| l != n) {
                return Err(Fail::Protocol);
            }
            length = Some(n);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            if let Some(coding) = tokens().next_back() {
                last_coding = Some(coding.to_ascii_lowercase());
            }
        } else if header.name.eq_ignore_ascii_case("connection") {
            close |= tokens().any(|t| t.eq_ignore_ascii_case("close"));
            keep_alive |= tokens().any(|t| t.eq_ignore_ascii_case("keep-alive"));
        }
    }
    let framing = match (status, last_coding.as_deref(), length) {
        (100..=199 | 204 | 304, _, _) => Framing::Empty,
        (_, Some("chunked"), _) => Framing::Chunked,
        (_, Some(_), _) => Framing::Close,
        (_, None, Some(n)) => Framing::Length(n),
        (_, None, None) => Framing::Close,
    };
    let http10 = response.version == Some(0);
    let keep_alive = !close && (keep_alive || !http10) && framing != Framing::Close;
    Ok(Some(Head { status, head_len, framing, keep_alive }))
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
mod tests;
