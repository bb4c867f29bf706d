//! A minimal local HTTP/1.1 server answering every request with `{"status":"ok"}` after a fixed
//! delay: the target of the generator's own tests and benchmark (no app, no database).

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}";

/// Serves `listener` until the task is dropped; each answer waits `delay` first.
pub async fn serve(listener: TcpListener, delay: Duration) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(stream, delay));
    }
}

async fn connection(mut stream: TcpStream, delay: Duration) {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut filled = 0;
    loop {
        match stream.read(&mut buffer[filled..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        // Answer every complete request head (bodies are not expected).
        while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if stream.write_all(ANSWER).await.is_err() {
                return;
            }
            buffer.copy_within(end + 4..filled, 0);
            filled -= end + 4;
        }
        if filled == buffer.len() {
            return;
        }
    }
}
