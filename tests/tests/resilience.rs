//! Retries, redirects, HTTPS enforcement and tracing, over real sockets.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use amplify_api::test_util::{Echo, Fault};
use amplify_api::{Client, Endpoint, Error, RetryPolicy};
use aws_credential_types::Credentials;
use common::{ECHO, builder, emulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn idempotent_requests_are_retried_and_resigned() {
    let emu = emulator().await;
    let client = builder(&emu).retry(fast_retries()).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    emu.api().respond_next(2, Fault::Status(503));
    let resp = api.get("/retry").send().await.unwrap();
    assert_eq!(resp.attempts(), 3);
    emu.api().respond_next(3, Fault::Status(500));
    let err = api.put("/retry").text("x").send().await.unwrap_err();
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((e.status().as_u16(), e.attempts()), (500, 3));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn post_is_not_retried_unless_asked() {
    let emu = emulator().await;
    let client = builder(&emu).retry(fast_retries()).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    emu.api().respond_next(1, Fault::Status(503));
    let err = api.post("/once").text("x").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    emu.api().respond_next(1, Fault::Status(503));
    let resp = api
        .post("/safe")
        .text("x")
        .retry(fast_retries().retry_non_idempotent(true))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.attempts(), 2);
    // Retries off for the whole client.
    let once = builder(&emu).retry(RetryPolicy::none()).build().unwrap();
    emu.api().respond_next(1, Fault::Status(429));
    let err = once
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let emu = emulator().await;
    let client = builder(&emu).retry(fast_retries()).build().unwrap();
    emu.api().respond_next(1, Fault::DropConnection);
    let echo: Echo = client
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(echo.path, "/x");
}

#[tokio::test]
async fn dropping_the_future_cancels_the_request() {
    let emu = emulator().await;
    emu.api().respond_next(1, Fault::Hang);
    let client = builder(&emu).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let cancelled = tokio::time::timeout(Duration::from_millis(200), api.get("/hang").send()).await;
    assert!(cancelled.is_err(), "still pending, then dropped");
    // The client is still usable, and the emulator sees no leftover work from us.
    assert_eq!(api.get("/after").send().await.unwrap().status(), 200);
}

/// A server that answers every request with `response` and counts what it received.
async fn canned_server(
    response: String,
) -> (String, Arc<Mutex<Vec<String>>>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, seen, task)
}

#[tokio::test]
async fn redirects_are_not_followed_and_leak_nothing() {
    let (thief_url, thief_saw, thief) =
        canned_server("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".into())
            .await;
    let (redirector_url, redirector_saw, redirector) = canned_server(format!(
        "HTTP/1.1 302 Found\r\nlocation: {thief_url}/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    ))
    .await;
    let client = Client::builder()
        .endpoint(Endpoint::new(ECHO, &redirector_url).region("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKID",
            "SECRET",
            Some("TOKEN".into()),
            None,
            "test",
        ))
        .build()
        .unwrap();
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .get("/start")
        .header("x-custom", "private")
        .send()
        .await
        .unwrap_err();
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), 302);
    assert_eq!(
        e.response().header("location"),
        Some(format!("{thief_url}/steal").as_str())
    );
    let first = redirector_saw.lock().unwrap().join("\n").to_lowercase();
    assert!(first.contains("x-amz-security-token: token") && first.contains("x-custom: private"));
    assert!(
        thief_saw.lock().unwrap().is_empty(),
        "nothing reached the second server"
    );
    // The control: plain reqwest follows the redirect, so the check above could fail.
    reqwest::get(format!("{redirector_url}/start"))
        .await
        .unwrap();
    assert_eq!(thief_saw.lock().unwrap().len(), 1);
    redirector.abort();
    thief.abort();
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback() {
    let endpoint = || Endpoint::new("api", "http://api.example.com/dev").region("us-east-1");
    let creds = || Credentials::new("A", "S", None, None, "test");
    let err = Client::builder()
        .endpoint(endpoint())
        .credentials_provider(creds())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("allow_http(true)"), "{err}");
    assert!(
        Client::builder()
            .endpoint(endpoint())
            .credentials_provider(creds())
            .allow_http(true)
            .build()
            .is_ok()
    );
    let err = Client::builder()
        .endpoint(Endpoint::new("api", "https://api.example.com").region("us-east-1"))
        .identity_pool("us-east-1:abc")
        .cognito_endpoint("http://cognito.example.com")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
}

/// Collects tracing output in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[test]
fn requests_and_refreshes_are_traced_without_query_values() {
    // tracing caches each callsite's interest process-wide: a test on another thread that
    // reaches `amplify_api.request` first, with no subscriber of its own while this test's is
    // the only one registered, pins it to "never" (tracing-core 0.1's single-dispatcher fast
    // path asks the registering thread's default). A global no-op registry keeps every
    // callsite enabled, so this test's scoped subscriber sees its spans whatever runs beside it.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let emu = emulator().await;
            let client = builder(&emu).build().unwrap();
            client
                .endpoint(ECHO)
                .unwrap()
                .get("/traced")
                .query("secret-ish", "q-value-123")
                .send()
                .await
                .unwrap();
        })
    });
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for needle in [
        "amplify_api.request",
        "endpoint=echo",
        "method=GET",
        "/traced",
        "status=200",
        "attempt=1",
        "latency_ms=",
        "amplify_api.credentials_refresh",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert!(
        !text.contains("q-value-123"),
        "query values are not traced:\n{text}"
    );
}
