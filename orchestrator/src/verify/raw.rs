//! Oversized bodies over a plain socket. The contract lets an app answer 413 as soon as it knows
//! the body is too large and close the connection while the client is still writing; reqwest
//! then reports the broken write and drops the answer. This sender writes the body and reads the
//! answer at once, and keeps the answer whatever becomes of the write — the one reason verify
//! has a second client beside reqwest.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::http::{Exchange, Http, ANSWER_WITHIN};

/// How the body's length is told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Framing {
    ContentLength,
    Chunked,
}

/// POSTs `size` bytes of `x` to `path`; the answer must come within 5 s.
pub async fn post_large(http: &Http, path: &str, content_type: Option<&str>, size: usize, framing: Framing) -> Exchange {
    let authority = http.base().trim_start_matches("http://").to_string();
    let mut head = format!("POST {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    let mut request_headers = Vec::new();
    if let Some(ct) = content_type {
        request_headers.push(("Content-Type".to_string(), ct.to_string()));
    }
    request_headers.push(match framing {
        Framing::ContentLength => ("Content-Length".to_string(), size.to_string()),
        Framing::Chunked => ("Transfer-Encoding".to_string(), "chunked".to_string()),
    });
    for (name, value) in &request_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut exchange = Exchange {
        method: "POST".into(),
        path: path.into(),
        request_headers,
        request_body: Some(format!("<{size} bytes of x>")),
        status: 0,
        content_type: None,
        allow: None,
        request_id: None,
        body: String::new(),
    };
    match tokio::time::timeout(ANSWER_WITHIN, send(&authority, head, size, framing)).await {
        Ok(Ok(answer)) => (exchange.status, exchange.content_type, exchange.body) = answer,
        Ok(Err(e)) => exchange.body = format!("<request failed: {e}>"),
        Err(_) => exchange.body = format!("<no answer within {} s>", ANSWER_WITHIN.as_secs()),
    }
    exchange
}

/// Writes in the background, reads the answer; a failed write is no failure.
async fn send(authority: &str, head: String, size: usize, framing: Framing) -> io::Result<(u16, Option<String>, String)> {
    let (mut reader, mut writer) = TcpStream::connect(authority).await?.into_split();
    let writing = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let block = vec![b'x'; 64 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len());
            let piece = match framing {
                Framing::ContentLength => block[..n].to_vec(),
                Framing::Chunked => [format!("{n:x}\r\n").as_bytes(), &block[..n], b"\r\n"].concat(),
            };
            writer.write_all(&piece).await?;
            left -= n;
        }
        if framing == Framing::Chunked {
            writer.write_all(b"0\r\n\r\n").await?;
        }
        // Keep the socket open until the answer is read.
        tokio::time::sleep(Duration::from_secs(10)).await;
        io::Result::Ok(())
    });
    let answer = read_answer(&mut reader).await;
    writing.abort();
    answer
}

/// Reads one HTTP/1.1 answer: status, Content-Type and body (by Content-Length, else to the end).
async fn read_answer(reader: &mut tokio::net::tcp::OwnedReadHalf) -> io::Result<(u16, Option<String>, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = reader.read(&mut chunk).await?;
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        let parsed = response.parse(&buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        if let httparse::Status::Complete(at) = parsed {
            let header =
                |name: &str| response.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| String::from_utf8_lossy(h.value).into_owned());
            let length = header("content-length").and_then(|v| v.trim().parse::<usize>().ok());
            let chunked = header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
            let (status, content_type) = (response.code.unwrap_or(0), header("content-type"));
            let mut body = buf[at..].to_vec();
            while length.is_none_or(|l| body.len() < l) && !(chunked && body.ends_with(b"0\r\n\r\n")) {
                let n = reader.read(&mut chunk).await?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
            let body = if chunked { dechunk(&body) } else { body };
            return Ok((status, content_type, String::from_utf8_lossy(&body).into_owned()));
        }
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed before a complete answer"));
        }
    }
}

/// The data of a chunked body (extensions and trailers dropped).
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        let start = end + 2;
        if size == 0 || start + size > raw.len() {
            break;
        }
        data.extend_from_slice(&raw[start..start + size]);
        raw = &raw[(start + size + 2).min(raw.len())..];
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunked_answer_is_read_as_its_data() {
        assert_eq!(dechunk(b"4\r\n{\"a\"\r\n3;x=1\r\n:1}\r\n0\r\n\r\n"), b"{\"a\":1}");
    }
}
