//! Retries, timeouts, cancellation, redirects, HTTPS enforcement and tracing, over real
//! sockets.

mod common;

use std::future::Future;
use std::time::{Duration, Instant};

use amplify_api::{Client, Endpoint, EndpointClient, Error, Method, RetryPolicy};
use amplify_api_emulator::{Echo, Emulator, Fault};
use common::{
    Answer, BlackHole, Captured, ECHO, RawServer, api_with_retry, builder, emulator,
    fixed_credentials, http_response, retry_with_base_delay_ms, send_echo, send_err,
    send_timing_out, signing_builder, static_builder,
};

fn fast_retries() -> RetryPolicy {
    retry_with_base_delay_ms(5)
}

/// Sends `GET /warm` through `api` so that credentials are fetched before a test counts; the
/// API's served count after it (so the counts that follow are the API's requests alone).
async fn warm_up(emu: &Emulator, api: &EndpointClient) -> u64 {
    api.get("/warm").send().await.unwrap();
    emu.api().requests_served()
}

#[tokio::test]
async fn idempotent_requests_are_retried_and_resigned() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, fast_retries());
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
    let api = api_with_retry(&emu, fast_retries());
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
    let once = api_with_retry(&emu, RetryPolicy::none());
    emu.api().respond_next(1, Fault::Status(429));
    let err = send_err(once.get("/x")).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, fast_retries());
    emu.api().respond_next(1, Fault::DropConnection);
    let echo: Echo = send_echo(api.get("/x")).await;
    assert_eq!(echo.path, "/x");
}

/// Polls `until` every 10 ms for up to 5 s; whether it became true.
async fn eventually(mut until: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if until() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    until()
}

#[test]
fn dropping_the_future_cancels_the_request() {
    // A runtime of this test's own, so its task count is this test's alone; the server runs on
    // threads, not tasks.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = RawServer::start(|_, _| Answer::Silent);
    runtime.block_on(async {
        let metrics = tokio::runtime::Handle::current().metrics();
        // Retries on, with a short delay: a request left running would try again at once.
        let client = static_builder(&server.url())
            .retry(fast_retries())
            .build()
            .unwrap();
        let api = client.endpoint(ECHO).unwrap();
        let baseline = metrics.num_alive_tasks();
        let mut send = Box::pin(api.get("/hang").send());
        let pending = tokio::time::timeout(Duration::from_millis(300), &mut send).await;
        assert!(pending.is_err(), "the silent server never answers");
        assert_eq!(server.requests().len(), 1);
        assert!(
            metrics.num_alive_tasks() > baseline,
            "while in flight the connection is a task (so the count below can see it go)"
        );
        drop(send);
        assert!(
            eventually(|| server.closed_by_client() == 1).await,
            "the server saw the connection closed"
        );
        assert!(
            eventually(|| metrics.num_alive_tasks() == baseline).await,
            "{} tasks left running (baseline {baseline})",
            metrics.num_alive_tasks()
        );
        // Longer than any retry delay: nothing tries again behind the caller's back.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            (server.accepted(), server.requests().len()),
            (1, 1),
            "no further attempt after the drop"
        );
    });
}

#[tokio::test]
async fn a_per_request_none_policy_overrides_a_retrying_client() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, fast_retries());
    emu.api().respond_next(1, Fault::Status(503));
    // A second fault queued: a retry would meet it rather than succeed.
    emu.api().respond_next(1, Fault::Status(503));
    let err = api
        .get("/once")
        .retry(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((e.status().as_u16(), e.attempts()), (503, 1));
    assert_eq!(e.name(), Some("ServiceUnavailableException"));
    assert!(!err.to_string().contains("attempts"), "{err}");
    assert_eq!(emu.api().requests_served(), 1, "exactly one request served");
    // The client's own policy still applies to the next request: one more 503, then success.
    let resp = api.get("/again").send().await.unwrap();
    assert_eq!(resp.attempts(), 2);
    assert_eq!(emu.api().requests_served(), 3);
}

#[tokio::test]
async fn gateway_errors_and_429_are_retried_end_to_end() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, fast_retries());
    let mut served = warm_up(&emu, &api).await;
    for status in [500, 502, 503, 504, 429] {
        emu.api().respond_next(2, Fault::Status(status));
        let resp = api.get("/recovers").send().await.unwrap();
        assert_eq!(resp.attempts(), 3, "{status}");
        assert_eq!(emu.api().requests_served(), served + 3, "{status}");
        served += 3;
        emu.api().respond_next(3, Fault::Status(status));
        let err = api.delete("/gives-up").send().await.unwrap_err();
        let Error::Status(e) = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!((e.status().as_u16(), e.attempts()), (status, 3));
        assert!(err.to_string().ends_with("after 3 attempts"), "{err}");
        assert_eq!(emu.api().requests_served(), served + 3, "{status}");
        served += 3;
    }
    // Statuses off the list are final at once.
    for status in [400, 403, 404, 413, 501] {
        emu.api().respond_next(1, Fault::Status(status));
        let err = api.get("/final").send().await.unwrap_err();
        let Error::Status(e) = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!((e.status().as_u16(), e.attempts()), (status, 1));
        assert_eq!(emu.api().requests_served(), served + 1, "{status}");
        served += 1;
    }
}

#[tokio::test]
async fn throttling_error_names_are_retried_whatever_the_status() {
    // 400s that only their AWS error name marks as throttling: from `x-amzn-ErrorType`, then
    // from the body's `__type` (namespaced, as AWS JSON protocols send it), then success.
    let server = RawServer::start(|n, _| {
        Answer::Send(match n {
            0 => http_response(
                "400 Bad Request",
                &[("x-amzn-errortype", "ThrottlingException")],
                r#"{"message":"Rate exceeded"}"#,
            ),
            1 => http_response(
                "400 Bad Request",
                &[("content-type", "application/x-amz-json-1.1")],
                r#"{"__type":"com.amazonaws#RequestLimitExceeded","message":"slow down"}"#,
            ),
            _ => http_response("200 OK", &[], "done"),
        })
    });
    let client = static_builder(&server.url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let resp = client
        .endpoint(ECHO)
        .unwrap()
        .get("/throttled")
        .send()
        .await
        .unwrap();
    assert_eq!((resp.attempts(), resp.text().unwrap()), (3, "done"));
    assert_eq!(server.requests().len(), 3);

    // The control: a 400 with a name that is not throttling is final.
    let bad = RawServer::always(http_response(
        "400 Bad Request",
        &[("x-amzn-errortype", "BadRequestException")],
        r#"{"message":"no"}"#,
    ));
    let client = static_builder(&bad.url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/bad")).await;
    assert_eq!(err.aws_error_name(), Some("BadRequestException"));
    assert_eq!(bad.requests().len(), 1);
}

#[tokio::test]
async fn post_and_patch_are_retried_only_when_opted_in() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, fast_retries());
    let mut served = warm_up(&emu, &api).await;
    for method in [Method::POST, Method::PATCH] {
        emu.api().respond_next(1, Fault::Status(503));
        let err = api
            .request(method.clone(), "/once")
            .text("x")
            .send()
            .await
            .unwrap_err();
        let Error::Status(e) = &err else {
            panic!("{method}: {err:?}")
        };
        assert_eq!((e.status().as_u16(), e.attempts()), (503, 1), "{method}");
        assert_eq!(
            emu.api().requests_served(),
            served + 1,
            "{method} sent once"
        );
        served += 1;
    }
    // Opted in for the whole client.
    let api = api_with_retry(&emu, fast_retries().retry_non_idempotent(true));
    served = warm_up(&emu, &api).await;
    for method in [Method::POST, Method::PATCH] {
        emu.api().respond_next(2, Fault::Status(503));
        let echo: Echo = {
            let resp = api
                .request(method.clone(), "/twice")
                .text("x")
                .send()
                .await
                .unwrap();
            assert_eq!(resp.attempts(), 3, "{method}");
            resp.json().unwrap()
        };
        assert_eq!((echo.method, echo.body), (method.to_string(), "x".into()));
        assert_eq!(emu.api().requests_served(), served + 3, "{method}");
        served += 3;
    }
}

#[tokio::test]
async fn the_client_timeout_ends_a_request_to_a_silent_server() {
    let server = RawServer::start(|_, _| Answer::Silent);
    let client = static_builder(&server.url())
        .timeout(Duration::from_millis(300))
        .retry(fast_retries())
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let timed_out = send_timing_out(
        "the client's timeout",
        api.get("/silent"),
        Duration::from_millis(300),
        Duration::from_secs(3),
    )
    .await;
    assert_eq!(timed_out.attempts, 1);
    let err = timed_out.err;
    assert!(err.to_string().contains("timed out after 300ms"), "{err}");
    assert_eq!(server.requests().len(), 1);
    assert!(
        eventually(|| server.closed_by_client() == 1).await,
        "the timed-out connection was closed"
    );
    // A request's own timeout replaces the client's.
    send_timing_out(
        "the request's timeout",
        api.get("/silent").timeout(Duration::from_millis(100)),
        Duration::from_millis(100),
        Duration::from_secs(2),
    )
    .await;
}

#[tokio::test]
async fn a_longer_request_timeout_replaces_a_short_client_timeout() {
    let emu = emulator().await;
    let client = builder(&emu)
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    // Credentials first: the Cognito calls are inside the timeout too.
    api.get("/warm")
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    emu.api()
        .respond_next(1, Fault::Delay(Duration::from_millis(400)));
    let resp = api
        .get("/slow")
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    // The client's 150 ms applies without one.
    emu.api()
        .respond_next(1, Fault::Delay(Duration::from_millis(400)));
    send_timing_out(
        "the client's 150 ms",
        api.get("/slow"),
        Duration::from_millis(150),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test]
async fn the_total_timeout_spans_every_attempt_and_backoff() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, retry_with_base_delay_ms(200).max_attempts(10));
    let served = warm_up(&emu, &api).await;
    emu.api().respond_next(10, Fault::Status(503));
    // Every attempt fails at once; the waits between them (full jitter under a ceiling of
    // 200 ms, 400 ms, 800 ms...) add up past the timeout long before 10 attempts.
    let timed_out = send_timing_out(
        "total",
        api.get("/x").timeout(Duration::from_millis(350)),
        Duration::from_millis(350),
        Duration::from_secs(2),
    )
    .await;
    assert!(timed_out.attempts < 10, "{}", timed_out.attempts);
    let sent = emu.api().requests_served() - served;
    assert!(
        sent >= 1 && sent <= u64::from(timed_out.attempts),
        "{sent} of {}",
        timed_out.attempts
    );
}

#[tokio::test]
async fn the_connect_timeout_is_the_builders() {
    let hole = BlackHole::new().await;
    for millis in [150, 600] {
        let client = static_builder(&hole.url())
            .connect_timeout(Duration::from_millis(millis))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        // Not the 10 s default, and not before the option's time.
        let timed_out = send_timing_out(
            &format!("{millis} ms"),
            client.endpoint(ECHO).unwrap().get("/x"),
            Duration::from_millis(millis),
            Duration::from_secs(3),
        )
        .await;
        assert_eq!(timed_out.attempts, 1, "{millis} ms");
    }
    // A total timeout shorter than the connect timeout ends the connect.
    let client = static_builder(&hole.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    send_timing_out(
        "total below connect",
        client.endpoint(ECHO).unwrap().get("/x"),
        Duration::from_millis(200),
        Duration::from_secs(3),
    )
    .await;
}

#[tokio::test]
async fn redirects_are_not_followed_and_leak_nothing() {
    let thief = RawServer::always(http_response("200 OK", &[], ""));
    let thief_url = thief.url();
    let redirector = RawServer::always(http_response(
        "302 Found",
        &[("location", &format!("{thief_url}/steal"))],
        "",
    ));
    let redirector_url = redirector.url();
    let client = signing_builder(
        &redirector_url,
        fixed_credentials("AKID", "SECRET", Some("TOKEN")),
    )
    .build()
    .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let err = send_err(api.get("/start").header("x-custom", "private")).await;
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), 302);
    assert_eq!(
        e.response().header("location"),
        Some(format!("{thief_url}/steal").as_str())
    );
    let first = redirector.requests().join("\n").to_lowercase();
    assert!(first.contains("x-amz-security-token: token") && first.contains("x-custom: private"));
    assert!(
        thief.requests().is_empty(),
        "nothing reached the second server"
    );
    // The control: plain reqwest follows the redirect, so the check above could fail.
    reqwest::get(format!("{redirector_url}/start"))
        .await
        .unwrap();
    assert_eq!(thief.requests().len(), 1);
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback() {
    let endpoint = || Endpoint::new("api", "http://api.example.com/dev").region("us-east-1");
    let creds = || fixed_credentials("A", "S", None);
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

/// Runs `body` on a runtime of its own with a DEBUG subscriber (span closes included); what it
/// logged.
fn traced<F: Future<Output = ()>>(body: impl FnOnce() -> F) -> String {
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
    tracing::subscriber::with_default(subscriber, || runtime.block_on(body()));
    captured.text()
}

/// The line that closes the request span for `path` (not a span inside it).
fn span_close_line<'a>(text: &'a str, path: &str) -> &'a str {
    text.lines()
        .find(|l| {
            l.contains("amplify_api.request{")
                && l.contains(path)
                && l.contains(": close")
                && !l.contains("credentials_refresh")
        })
        .unwrap_or_else(|| panic!("no closed span for {path} in:\n{text}"))
}

#[test]
fn requests_and_refreshes_are_traced_without_query_values() {
    let text = traced(|| async {
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
    });
    for needle in [
        "amplify_api.request",
        "amplify.endpoint=echo",
        "http.request.method=GET",
        "/traced",
        "http.response.status_code=200",
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

#[test]
fn retried_requests_trace_their_attempt_count() {
    let text = traced(|| async {
        let emu = emulator().await;
        let api = api_with_retry(&emu, fast_retries());
        emu.api().respond_next(1, Fault::Status(503));
        api.get("/retried-once").send().await.unwrap();
        emu.api().respond_next(3, Fault::Status(502));
        api.get("/retried-out").send().await.unwrap_err();
    });
    let once = span_close_line(&text, "/retried-once");
    assert!(
        once.contains("http.request.resend_count=1")
            && once.contains("http.response.status_code=200"),
        "{once}"
    );
    let out = span_close_line(&text, "/retried-out");
    assert!(
        out.contains("http.request.resend_count=2")
            && out.contains("http.response.status_code=502"),
        "{out}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains("retrying")).count(),
        3,
        "one retry event per extra attempt:\n{text}"
    );
}
