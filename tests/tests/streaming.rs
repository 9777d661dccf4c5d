//! Streaming responses (`send_streaming`) against loopback servers that stream as asked: 100 MiB
//! read with the client's memory bounded (measured in a child process), a stall mid-stream ended
//! by the read timeout, an error answer's long body cut to a prefix that still gives the AWS
//! error, no retry once the body is handed over, and a dropped stream closing its connection.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use amplify_api::{Error, RetryPolicy};
use common::{ECHO, run_child_test, static_builder};
use futures::StreamExt;

/// A loopback HTTP/1.1 server, one thread per connection: it reads the request head, then
/// `answer` writes what it likes on the stream (given the connection's index).
struct Streamer {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Streamer {
    fn start(answer: impl Fn(usize, TcpStream) + Send + Sync + 'static) -> Streamer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let index = counted.fetch_add(1, Ordering::SeqCst);
                let answer = answer.clone();
                std::thread::spawn(move || {
                    if read_head(&mut stream) {
                        answer(index, stream);
                    }
                });
            }
        });
        Streamer { url, connections }
    }
}

/// Reads a request head (these tests send no bodies); false if the client went away first.
fn read_head(stream: &mut TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => return false,
        }
    }
    true
}

const MIB: usize = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// Writes `total` bytes of body in `CHUNK`s; false once the client is gone.
fn write_body(stream: &mut TcpStream, total: usize) -> bool {
    let chunk = vec![b'x'; CHUNK];
    let mut sent = 0;
    while sent < total {
        let n = CHUNK.min(total - sent);
        if stream.write_all(&chunk[..n]).is_err() {
            return false;
        }
        sent += n;
    }
    true
}

fn ok_head(stream: &mut TcpStream, len: usize) {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {len}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
}

/// A kilobyte figure from `/proc/self/status` (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Resets the process's peak RSS to its current RSS (Linux's `clear_refs` 5), so `VmHWM`
/// afterwards is the peak of what follows.
fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

const STREAM_URL: &str = "AMPLIFY_TEST_STREAM_URL";
const STREAMED: usize = 100 * MIB;

#[test]
fn a_100_mib_stream_is_read_with_bounded_memory() {
    let server = Streamer::start(|_, mut stream| {
        ok_head(&mut stream, STREAMED);
        write_body(&mut stream, STREAMED);
    });
    let out = run_child_test(
        "child_reads_a_100_mib_stream",
        &[(STREAM_URL, &server.url)],
        &[],
    );
    let line = out
        .lines()
        .find(|l| l.starts_with("peak rss growth"))
        .unwrap();
    println!("{line}");
}

#[tokio::test]
#[ignore = "run by a_100_mib_stream_is_read_with_bounded_memory in a process of its own"]
async fn child_reads_a_100_mib_stream() {
    let Ok(url) = std::env::var(STREAM_URL) else {
        return;
    };
    let api = static_builder(&url)
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    // A first request, so connection set-up and the client's own allocations are in the base.
    let mut warm = api.get("/warm").send_streaming().await.unwrap();
    let mut chunks = 0;
    while let Some(_chunk) = warm.chunk().await.unwrap() {
        chunks += 1;
        if chunks == 8 {
            break;
        }
    }
    drop(warm);
    let base_kib = status_kib("VmRSS");
    reset_peak_rss();
    let resp = api.get("/big").send_streaming().await.unwrap();
    assert_eq!(resp.status(), 200);
    let mut body = std::pin::pin!(resp.bytes_stream());
    let (mut total, mut largest) = (0, 0);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        total += chunk.len();
        largest = largest.max(chunk.len());
    }
    let peak_kib = status_kib("VmHWM");
    assert_eq!(total, STREAMED);
    let growth_kib = peak_kib.saturating_sub(base_kib);
    println!(
        "peak rss growth {growth_kib} KiB reading {} MiB (base {base_kib} KiB, largest chunk {largest} B)",
        STREAMED / MIB
    );
    // Buffering the body would add 100 MiB; streaming holds a few chunks.
    assert!(growth_kib < 16 * 1024, "peak RSS grew {growth_kib} KiB");
    common::child_done(&format!("read {} MiB streamed", STREAMED / MIB));
}

#[tokio::test]
async fn the_whole_body_is_still_capped_and_a_short_one_read_whole() {
    let server = Streamer::start(|index, mut stream| {
        let len = if index == 0 { 2 * MIB } else { 1000 };
        ok_head(&mut stream, len);
        write_body(&mut stream, len);
    });
    let api = static_builder(&server.url)
        .max_response_bytes(MIB)
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let resp = api.get("/big").send_streaming().await.unwrap();
    let err = resp.bytes().await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit } if limit == MIB),
        "{err:?}"
    );
    let resp = api.get("/small").send_streaming().await.unwrap();
    assert_eq!(resp.text().await.unwrap(), "x".repeat(1000));
}

#[tokio::test]
async fn a_stall_mid_stream_is_a_read_timeout() {
    let server = Streamer::start(|_, mut stream| {
        ok_head(&mut stream, 10 * MIB);
        write_body(&mut stream, CHUNK);
        stream.flush().unwrap();
        // Then nothing, with the connection open.
        std::thread::sleep(Duration::from_secs(30));
    });
    let api = static_builder(&server.url)
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let mut resp = api.get("/stalls").send_streaming().await.unwrap();
    let mut received = 0;
    let err = loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("the body ended"),
            Err(e) => break e,
        }
    };
    assert_eq!(received, CHUNK);
    let Error::Timeout(timeout) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(timeout.after(), Duration::from_millis(300));
    // The stream has ended: no more chunks after the error.
    assert!(resp.chunk().await.unwrap().is_none());
}

/// A 500 whose JSON body goes on for `len` bytes after the AWS error fields.
fn long_error(stream: &mut TcpStream, len: usize) {
    let start = r#"{"__type":"com.amazon#InternalFailure","message":"boom","detail":""#;
    let head = format!(
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\
         x-amzn-requestid: req-1\r\ncontent-length: {}\r\n\r\n{start}",
        start.len() + len
    );
    stream.write_all(head.as_bytes()).unwrap();
    write_body(stream, len);
}

#[tokio::test]
async fn an_error_with_a_long_body_keeps_the_aws_error_from_its_start() {
    let server = Streamer::start(|_, mut stream| long_error(&mut stream, 8 * MIB));
    let api = static_builder(&server.url)
        .max_response_bytes(MIB)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let streamed = api.get("/fails").send_streaming().await.unwrap_err();
    let buffered = api.get("/fails").send().await.unwrap_err();
    for err in [streamed, buffered] {
        let Error::Status(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.status(), 500);
        assert_eq!(e.name(), Some("InternalFailure"));
        assert_eq!(e.message(), Some("boom"));
        assert_eq!(e.request_id(), Some("req-1"));
        assert!(e.body_truncated());
        assert_eq!(e.body().len(), MIB);
    }
    // A short error body is kept whole.
    let server = Streamer::start(|_, mut stream| long_error(&mut stream, 10));
    let api = static_builder(&server.url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let Error::Status(e) = api.get("/fails").send_streaming().await.unwrap_err() else {
        panic!()
    };
    assert!(!e.body_truncated());
    assert!(e.body().ends_with(b"xxxxxxxxxx"));
}

#[tokio::test]
async fn retries_end_when_the_body_is_handed_over() {
    // A 503 first (retried), then a body cut short after 1 MiB: the cut is the caller's error,
    // not a retry.
    let server = Streamer::start(|index, mut stream| {
        if index == 0 {
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
            );
            return;
        }
        ok_head(&mut stream, 4 * MIB);
        write_body(&mut stream, MIB);
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let api = static_builder(&server.url)
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::from_millis(1)),
        )
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let mut resp = api.get("/cut").send_streaming().await.unwrap();
    assert_eq!(resp.attempts(), 2);
    let mut received = 0;
    let err = loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("the body ended"),
            Err(e) => break e,
        }
    };
    assert_eq!(received, MIB);
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn dropping_a_stream_closes_its_connection() {
    let (closed_tx, closed) = mpsc::channel();
    let server = Streamer::start(move |_, mut stream| {
        ok_head(&mut stream, 1024 * MIB);
        // Writes until the client is gone (the socket buffers fill while it does not read).
        let gone = !write_body(&mut stream, 1024 * MIB);
        let _ = closed_tx.send(gone);
    });
    let api = static_builder(&server.url)
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let mut resp = api.get("/endless").send_streaming().await.unwrap();
    assert!(resp.chunk().await.unwrap().is_some());
    drop(resp);
    // Waited for without blocking the runtime, which closes the connection.
    let mut gone = Err(mpsc::TryRecvError::Empty);
    for _ in 0..1000 {
        gone = closed.try_recv();
        if gone.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(gone, Ok(true), "the server saw the connection closed");
    // The next request needs a new connection.
    drop(api.get("/again").send_streaming().await.unwrap());
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
}
