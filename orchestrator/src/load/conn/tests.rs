//! The client against the fixture server on loopback: one test per framing and failure.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::load::fixture::{serve_with, Behaviour, BODY};

/// A fixture with `behaviour` on a free loopback port, its pool and its accepted-connection count.
async fn fixture(behaviour: Behaviour) -> (Pool, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    tokio::spawn(serve_with(listener, behaviour, accepted.clone()));
    (Pool::new(addr), accepted)
}

async fn get(pool: &Pool) -> Result<Answer, Fail> {
    tokio::time::timeout(Duration::from_secs(5), pool.exchange("GET", "/", None, None)).await.expect("an answer or a failure within 5 s")
}

/// Two GETs one after the other: their bodies, and how many connections they took.
async fn twice(behaviour: Behaviour) -> (Vec<Vec<u8>>, usize) {
    let (pool, accepted) = fixture(behaviour).await;
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let answer = get(&pool).await.unwrap_or_else(|f| panic!("{behaviour:?} failed with {}", f.class()));
        assert_eq!(answer.status, 200);
        bodies.push(answer.body.to_vec());
    }
    (bodies, accepted.load(Ordering::SeqCst))
}

#[tokio::test]
async fn a_content_length_answer_is_read_whole_and_its_connection_reused() {
    assert_eq!(twice(Behaviour::Fixed(Duration::ZERO)).await, (vec![BODY.to_vec(), BODY.to_vec()], 1));
}

#[tokio::test]
async fn a_chunked_answer_with_extensions_and_trailers_is_read_whole_and_reused() {
    assert_eq!(twice(Behaviour::Chunked).await, (vec![BODY.to_vec(), BODY.to_vec()], 1));
}

#[tokio::test]
async fn transfer_encoding_lists_across_headers_end_in_chunked_and_beat_content_length() {
    assert_eq!(twice(Behaviour::CodingList).await, (vec![BODY.to_vec(), BODY.to_vec()], 1));
}

#[tokio::test]
async fn a_body_delimited_by_the_close_is_read_to_the_end_and_never_reused() {
    assert_eq!(twice(Behaviour::CloseDelimited).await, (vec![BODY.to_vec(), BODY.to_vec()], 2));
}

#[tokio::test]
async fn interim_1xx_answers_are_skipped_for_the_final_one() {
    assert_eq!(twice(Behaviour::Interim).await, (vec![BODY.to_vec(), BODY.to_vec()], 1));
}

#[tokio::test]
async fn an_answer_arriving_one_byte_at_a_time_is_read_whole() {
    assert_eq!(twice(Behaviour::OneByteWrites).await, (vec![BODY.to_vec(), BODY.to_vec()], 1));
}

#[tokio::test]
async fn a_close_token_in_a_connection_list_ends_the_connection() {
    assert_eq!(twice(Behaviour::CloseToken).await, (vec![BODY.to_vec(), BODY.to_vec()], 2));
}

#[tokio::test]
async fn bytes_after_a_complete_answer_are_a_desync_not_silently_dropped() {
    let (pool, _) = fixture(Behaviour::TrailingBytes).await;
    assert_eq!(get(&pool).await.err(), Some(Fail::Desync));
}

#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_is_an_io_failure() {
    let (pool, _) = fixture(Behaviour::ResetMidBody).await;
    assert_eq!(get(&pool).await.err(), Some(Fail::Io));
}

#[tokio::test]
async fn too_many_headers_are_a_protocol_failure() {
    let (pool, _) = fixture(Behaviour::TooManyHeaders).await;
    assert_eq!(get(&pool).await.err(), Some(Fail::Protocol));
}

#[tokio::test]
async fn a_stalled_server_leaves_the_exchange_pending_for_the_callers_timeout() {
    let (pool, _) = fixture(Behaviour::Stall).await;
    let waited = tokio::time::timeout(Duration::from_millis(300), pool.exchange("GET", "/", None, None)).await;
    assert!(waited.is_err(), "a server that never answers produced an outcome");
}

/// A first request, then `method` (with `key`) on the connection the server closes on reading it.
async fn second_on_a_closing_connection(method: &'static str, key: Option<&str>) -> (Result<Answer, Fail>, usize) {
    let (pool, accepted) = fixture(Behaviour::CloseOnSecondRequest).await;
    get(&pool).await.unwrap();
    let body = (method == "POST").then(|| Bytes::from_static(b"{}"));
    let second = tokio::time::timeout(Duration::from_secs(5), pool.exchange(method, "/", body, key)).await.unwrap();
    (second, accepted.load(Ordering::SeqCst))
}

#[tokio::test]
async fn a_get_on_a_connection_closed_unanswered_is_resent_once_and_counted() {
    let (second, connections) = second_on_a_closing_connection("GET", None).await;
    let answer = second.unwrap_or_else(|f| panic!("failed with {}", f.class()));
    assert!(answer.retried && answer.status == 200);
    assert_eq!(connections, 2);
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_resent_once() {
    let (second, _) = second_on_a_closing_connection("POST", Some("key-1")).await;
    assert!(second.map(|a| a.retried).unwrap_or(false));
}

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_not_resent_and_fails_as_io() {
    let (second, connections) = second_on_a_closing_connection("POST", None).await;
    assert_eq!(second.err(), Some(Fail::Io));
    assert_eq!(connections, 1, "the unsafe request went to a second connection");
}

#[test]
fn a_head_gives_status_framing_and_keep_alive() {
    let head = parse_head(b"HTTP/1.1 201 Created\r\nContent-Length: 12\r\nX: y\r\n\r\n{\"a\":1}").unwrap().unwrap();
    assert_eq!((head.status, head.framing, head.keep_alive, head.head_len), (201, Framing::Length(12), true, 50));
}

#[test]
fn http_1_0_closes_unless_keep_alive_is_listed() {
    let plain = parse_head(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").unwrap().unwrap();
    let kept = parse_head(b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").unwrap().unwrap();
    assert_eq!((plain.keep_alive, kept.keep_alive), (false, true));
}

#[test]
fn no_body_for_204_and_304_and_conflicting_lengths_are_refused() {
    assert_eq!(parse_head(b"HTTP/1.1 204 No Content\r\n\r\n").unwrap().unwrap().framing, Framing::Empty);
    assert_eq!(parse_head(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").unwrap().unwrap().framing, Framing::Empty);
    assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n").err(), Some(Fail::Protocol));
}

#[test]
fn an_incomplete_head_waits_and_garbage_or_an_endless_head_fails() {
    assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Le").unwrap().is_none());
    assert_eq!(parse_head(b"garbage\r\n\r\n").err(), Some(Fail::Protocol));
    let endless = [b"HTTP/1.1 200 OK\r\nx: ".as_slice(), &vec![b'a'; MAX_HEAD_BYTES]].concat();
    assert_eq!(parse_head(&endless).err(), Some(Fail::Protocol));
}

#[test]
fn chunk_sizes_are_hex_with_extensions_ignored() {
    assert_eq!(chunk_size(b"1a;name=value").unwrap(), 26);
    assert_eq!(chunk_size(b"F \t; x").unwrap(), 15);
    assert_eq!(chunk_size(b"zz").err(), Some(Fail::Protocol));
}
