//! Timeouts and retries (issue 9, section 5), over real sockets: the per-attempt and read
//! timeouts, which failures are retried (POST and PATCH too when the request never left), and
//! `Retry-After`. The retry budget's load test is in `load.rs`.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use amplify_api::{Client, Endpoint, Error, RetryPolicy};
use amplify_api_emulator::{Echo, Fault};
use common::{
    Answer, BlackHole, ECHO, RawServer, builder, emulator, fixed_credentials, http_response,
    retry_with_base_delay_ms, send_err, send_timing_out, static_builder,
};

fn fast_retries() -> RetryPolicy {
    retry_with_base_delay_ms(5)
}

/// The attempts a failed request reports.
fn attempts(err: &Error) -> u32 {
    match err {
        Error::Status(e) => e.attempts(),
        Error::Transport(e) => e.attempts(),
        Error::Timeout(e) => e.attempts(),
        other => panic!("no attempt count: {other:?}"),
    }
}

#[tokio::test]
async fn a_hung_attempt_is_abandoned_and_retried_within_the_total_timeout() {
    let emu = emulator().await;
    let client = builder(&emu)
        .timeout(Duration::from_secs(5))
        .attempt_timeout(Duration::from_millis(300))
        .retry(fast_retries())
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    api.get("/warm").send().await.unwrap();
    emu.api().respond_next(1, Fault::Hang);
    let started = Instant::now();
    let resp = api.get("/hangs-once").send().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(resp.attempts(), 2);
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(3),
        "{elapsed:?}: the hung attempt cost its 300 ms, not the 5 s deadline"
    );
    // A request's own attempt timeout replaces the client's.
    emu.api().respond_next(1, Fault::Hang);
    let started = Instant::now();
    let resp = api
        .get("/hangs-once")
        .attempt_timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.attempts(), 2);
    assert!(started.elapsed() < Duration::from_millis(300) + Duration::from_secs(1));
    // A POST that timed out may have been processed: not retried.
    let served = emu.api().requests_served();
    emu.api().respond_next(1, Fault::Hang);
    let timed_out = send_timing_out(
        "hung POST",
        api.post("/hangs").text("x"),
        Duration::from_millis(300),
        Duration::from_secs(3),
    )
    .await;
    assert_eq!(timed_out.attempts, 1);
    assert_eq!(emu.api().requests_served(), served + 1);
    // Every attempt hangs: the total timeout ends it, after several attempts.
    emu.api().respond_next(100, Fault::Hang);
    let client = builder(&emu)
        .attempt_timeout(Duration::from_millis(200))
        .retry(fast_retries().max_attempts(100))
        .build()
        .unwrap();
    let timed_out = send_timing_out(
        "every attempt hangs",
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/hangs")
            .timeout(Duration::from_millis(900)),
        Duration::from_millis(900),
        Duration::from_secs(3),
    )
    .await;
    assert!(
        (3..=5).contains(&timed_out.attempts),
        "{}",
        timed_out.attempts
    );
}

#[tokio::test]
async fn the_read_timeout_ends_a_stalled_answer_and_idempotent_requests_retry_it() {
    let server = RawServer::start(|_, _| Answer::Silent);
    let client = static_builder(&server.url())
        .read_timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let timed_out = send_timing_out(
        "read timeout",
        client.endpoint(ECHO).unwrap().get("/silent"),
        Duration::from_millis(200),
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(timed_out.attempts, 1);
    let client = static_builder(&server.url())
        .read_timeout(Duration::from_millis(100))
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/silent")).await;
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(attempts(&err), 3);
    assert_eq!(server.requests().len(), 4);
}

/// A plain TCP server that answers whatever arrives with an HTTP response and closes: to a
/// client speaking TLS, a corrupt handshake. Counts connections.
struct NotTls {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl NotTls {
    fn start() -> NotTls {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
            }
        });
        NotTls { url, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn tls_failures_are_not_retried() {
    let server = NotTls::start();
    let client = static_builder(&server.url)
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(attempts(&err), 1, "{err}");
    assert_eq!(server.connections(), 1, "one handshake, no retry");
}

/// A TLS server on 127.0.0.1 whose certificate (self-signed, for 127.0.0.1) no trust store
/// knows; counts connections. Runs on the test's runtime.
async fn untrusted_tls_server() -> (String, Arc<AtomicUsize>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs =
        CertificateDer::pem_slice_iter(include_bytes!("../fixtures/tls/self-signed.cert.pem"))
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("../fixtures/tls/self-signed.key.pem"))
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            // The client refuses the certificate: the handshake fails.
            tokio::spawn(async move { acceptor.accept(stream).await.is_ok() });
        }
    });
    (url, connections)
}

#[tokio::test]
async fn certificate_errors_are_not_retried() {
    let (url, connections) = untrusted_tls_server().await;
    let client = static_builder(&url).retry(fast_retries()).build().unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("certificate"), "{err}");
    assert_eq!(attempts(&err), 1, "{err}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "one handshake, no retry"
    );
}

/// A free port on 127.0.0.1 that refuses connections (nothing listens on it).
fn refusing_addr() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn post_and_patch_are_retried_when_the_request_never_left() {
    // Connection refused, then the server comes up: the POST arrives once.
    let addr = refusing_addr();
    let starter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        RawServer::start_on(addr, |_, _| {
            Answer::Send(http_response("200 OK", &[], "created"))
        })
    });
    // Full jitter may draw short waits: enough attempts that they outlast the 100 ms.
    let client = static_builder(&format!("http://{addr}"))
        .retry(retry_with_base_delay_ms(100).max_attempts(10))
        .build()
        .unwrap();
    let resp = client
        .endpoint(ECHO)
        .unwrap()
        .post("/orders")
        .text("x")
        .send()
        .await
        .unwrap();
    let server = starter.join().unwrap();
    assert_eq!(resp.text().unwrap(), "created");
    assert!(resp.attempts() >= 2, "{}", resp.attempts());
    assert_eq!(server.requests().len(), 1, "the POST arrived once");

    // DNS failure: every attempt made.
    let client = Client::builder()
        .endpoint(Endpoint::new(ECHO, "https://no-such-host.invalid/dev").region("us-east-1"))
        .credentials_provider(fixed_credentials("AKID", "SECRET", None))
        .read_env(false)
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().patch("/x").text("x")).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(attempts(&err), 3, "{err}");

    // Connect timeout: every attempt made.
    let hole = BlackHole::new().await;
    let client = static_builder(&hole.url())
        .connect_timeout(Duration::from_millis(100))
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().post("/x").text("x")).await;
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(attempts(&err), 3, "{err}");

    // The control: a connection dropped after the request was sent is not retried.
    let emu = emulator().await;
    let api = builder(&emu)
        .retry(fast_retries())
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    let served = {
        api.get("/warm").send().await.unwrap();
        emu.api().requests_served()
    };
    emu.api().respond_next(1, Fault::DropConnection);
    let err = send_err(api.post("/x").text("x")).await;
    assert_eq!(attempts(&err), 1, "{err}");
    assert_eq!(emu.api().requests_served(), served + 1);
    // ...while a GET is.
    emu.api().respond_next(1, Fault::DropConnection);
    let echo: Echo = api.get("/x").send().await.unwrap().json().unwrap();
    assert_eq!(echo.path, "/x");
}

/// A server answering its first request with 503 and `retry_after`, then 200.
fn asks_to_wait(retry_after: String) -> RawServer {
    RawServer::start(move |n, _| {
        Answer::Send(if n == 0 {
            http_response(
                "503 Service Unavailable",
                &[
                    ("retry-after", &retry_after),
                    ("date", &httpdate::fmt_http_date(SystemTime::now())),
                ],
                r#"{"message":"Service Unavailable"}"#,
            )
        } else {
            http_response("200 OK", &[], "ok")
        })
    })
}

#[tokio::test]
async fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    for what in ["seconds", "HTTP date"] {
        // The date is made when its case starts (after the first case's wait), 3 s ahead: an
        // HTTP date has whole seconds, so at least 2 s are left to wait.
        let value = match what {
            "seconds" => "1".to_owned(),
            _ => httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3)),
        };
        let server = asks_to_wait(value);
        let client = static_builder(&server.url())
            .retry(fast_retries())
            .build()
            .unwrap();
        let started = Instant::now();
        let resp = client
            .endpoint(ECHO)
            .unwrap()
            .get("/x")
            .send()
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(resp.attempts(), 2, "{what}");
        assert!(
            elapsed >= Duration::from_millis(950) && elapsed < Duration::from_secs(5),
            "{what}: waited {elapsed:?}"
        );
    }
}

#[tokio::test]
async fn a_retry_after_past_the_total_timeout_returns_the_answer_at_once() {
    let server = asks_to_wait("30".to_owned());
    let client = static_builder(&server.url())
        .retry(fast_retries())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert_eq!(attempts(&err), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(server.requests().len(), 1);
    // Without a total timeout, the policy's longest wait (here 2 s) caps it the same way.
    let server = asks_to_wait("30".to_owned());
    let client = static_builder(&server.url())
        .retry(fast_retries().max_delay(Duration::from_secs(2)))
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert_eq!(attempts(&err), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_huge_retry_after_never_panics() {
    // `Instant + Duration` of a server's number overflowed (a panic in the retry loop).
    for value in [
        "18446744073709551615",
        "9223372036854775807",
        "4294967296000",
    ] {
        let server = asks_to_wait(value.to_owned());
        let client = static_builder(&server.url())
            .retry(fast_retries())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(503),
            "{value}: {err:?}"
        );
        assert_eq!(attempts(&err), 1, "{value}");
        assert!(started.elapsed() < Duration::from_secs(1), "{value}");
        // Without a total timeout: above the policy's longest wait, the answer at once.
        let server = asks_to_wait(value.to_owned());
        let client = static_builder(&server.url())
            .retry(fast_retries())
            .build()
            .unwrap();
        let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
        assert_eq!(attempts(&err), 1, "{value}");
    }
}

#[tokio::test]
async fn a_retry_after_above_the_max_delay_is_waited_within_the_total_timeout() {
    // The policy waits at most 200 ms between attempts, the server asks for 1 s, the request
    // may take 10 s: the wait is honoured, not the retry cancelled.
    let server = asks_to_wait("1".to_owned());
    let client = static_builder(&server.url())
        .retry(fast_retries().max_delay(Duration::from_millis(200)))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    let resp = client
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.attempts(), 2);
    assert!(started.elapsed() >= Duration::from_millis(950));
}
