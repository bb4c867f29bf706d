//! A minimal local HTTP/1.1 server: the target of the generator's own tests and benchmark (no
//! app, no database). By default it answers every request with `{"status":"ok"}` after a fixed
//! delay; other [`Behaviour`]s answer with each framing an HTTP/1.1 server may use, or misbehave,
//! so that the client's handling of each is tested against real sockets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The body every behaviour answers with (where it answers).
pub const BODY: &[u8] = b"{\"status\":\"ok\"}";

const ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}";

/// How the fixture answers each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// `200` with a `Content-Length` body after the delay.
    Fixed(Duration),
    /// A chunked body with chunk extensions and a trailer.
    Chunked,
    /// `Transfer-Encoding` in two headers and a list (`identity`, then `chunked`) beside a wrong
    /// `Content-Length` that must be ignored.
    CodingList,
    /// No length, not chunked: the body ends when the server closes.
    CloseDelimited,
    /// `100 Continue` and `103 Early Hints` before the answer.
    Interim,
    /// The answer written one byte at a time.
    OneByteWrites,
    /// `Connection: keep-alive, close`: the connection must not be reused.
    CloseToken,
    /// Reads requests and never answers.
    Stall,
    /// Half the body, then a reset (RST).
    ResetMidBody,
    /// A complete answer followed by bytes no request asked for.
    TrailingBytes,
    /// A head with more headers than a client accepts.
    TooManyHeaders,
    /// Answers a connection's first request; closes the connection on reading its second.
    CloseOnSecondRequest,
    /// One request at a time across all connections, each taking this long: a server whose
    /// capacity is 1 / the duration and whose latency grows without bound past it.
    Serial(Duration),
}

/// Serves `listener` until the task is dropped; each answer waits `delay` first.
pub async fn serve(listener: TcpListener, delay: Duration) {
    serve_with(listener, Behaviour::Fixed(delay), Arc::default()).await
}

/// Serves `listener` with `behaviour` until the task is dropped, counting accepted connections.
pub async fn serve_with(listener: TcpListener, behaviour: Behaviour, accepted: Arc<AtomicUsize>) {
    let turn = Arc::new(tokio::sync::Mutex::new(()));
    while let Ok((stream, _)) = listener.accept().await {
        accepted.fetch_add(1, Ordering::SeqCst);
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(stream, behaviour, turn.clone()));
    }
}

async fn connection(mut stream: TcpStream, behaviour: Behaviour, turn: Arc<tokio::sync::Mutex<()>>) {
    let mut buffer = vec![0u8; 16 * 1024];
    let (mut filled, mut answered) = (0, 0);
    loop {
        match stream.read(&mut buffer[filled..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        // Answer every complete request head (bodies are skipped by their content-length).
        while let Some(end) = request_end(&buffer[..filled]) {
            if behaviour == Behaviour::CloseOnSecondRequest && answered == 1 {
                return;
            }
            let serial = match behaviour {
                Behaviour::Serial(service) => {
                    let turn = turn.lock().await;
                    // Blocking on purpose: a precise service time (tokio's timer rounds to 1 ms).
                    std::thread::sleep(service);
                    Some(turn)
                }
                _ => None,
            };
            if !answer(&mut stream, behaviour).await {
                return;
            }
            drop(serial);
            answered += 1;
            buffer.copy_within(end..filled, 0);
            filled -= end;
        }
        if filled == buffer.len() {
            return;
        }
    }
}

/// The end of the first complete request (head and `content-length` body) in `bytes`.
fn request_end(bytes: &[u8]) -> Option<usize> {
    let head = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let text = String::from_utf8_lossy(&bytes[..head]).to_ascii_lowercase();
    let length = text.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(0);
    (bytes.len() >= head + length).then_some(head + length)
}

/// Writes one answer; false when the connection is finished.
async fn answer(stream: &mut TcpStream, behaviour: Behaviour) -> bool {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
    let written = match behaviour {
        Behaviour::Fixed(delay) => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            stream.write_all(ANSWER).await
        }
        Behaviour::Chunked => {
            let text = format!("{head}transfer-encoding: chunked\r\n\r\n7;name=value\r\n{{\"statu\r\n8 ; x\r\ns\":\"ok\"}}\r\n0\r\nx-checksum: 1\r\n\r\n");
            stream.write_all(text.as_bytes()).await
        }
        Behaviour::CodingList => {
            let text = format!(
                "{head}content-length: 999\r\ntransfer-encoding: identity\r\nTransfer-Encoding: gzip , chunked\r\n\r\nf\r\n{}\r\n0\r\n\r\n",
                std::str::from_utf8(BODY).unwrap()
            );
            stream.write_all(text.as_bytes()).await
        }
        Behaviour::CloseDelimited => {
            let _ = stream.write_all(format!("{head}\r\n").as_bytes()).await;
            let _ = stream.write_all(BODY).await;
            return false;
        }
        Behaviour::Interim => {
            let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n").await;
            stream.write_all(ANSWER).await
        }
        Behaviour::OneByteWrites => {
            for byte in ANSWER {
                if stream.write_all(std::slice::from_ref(byte)).await.is_err() {
                    return false;
                }
                tokio::task::yield_now().await;
            }
            Ok(())
        }
        Behaviour::CloseToken => {
            let text = format!("{head}connection: keep-alive, close\r\ncontent-length: 15\r\n\r\n{}", std::str::from_utf8(BODY).unwrap());
            let _ = stream.write_all(text.as_bytes()).await;
            return false;
        }
        Behaviour::Stall => std::future::pending().await,
        Behaviour::ResetMidBody => {
            let _ = stream.write_all(format!("{head}content-length: 15\r\n\r\n{{\"stat").as_bytes()).await;
            let _ = stream.set_zero_linger();
            return false;
        }
        Behaviour::TrailingBytes => stream.write_all(&[ANSWER, b"HTTP/1.1 200 OK\r\n"].concat()).await,
        Behaviour::TooManyHeaders => {
            let many: String = (0..100).map(|i| format!("x-h{i}: v\r\n")).collect();
            stream.write_all(format!("{head}{many}content-length: 15\r\n\r\n{}", std::str::from_utf8(BODY).unwrap()).as_bytes()).await
        }
        Behaviour::CloseOnSecondRequest | Behaviour::Serial(_) => stream.write_all(ANSWER).await,
    };
    written.is_ok()
}
