//! The request span follows OpenTelemetry's HTTP client conventions: its fields, captured by a
//! subscriber layer that keeps every recorded value.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use std::time::Duration;

use amplify_api::RetryPolicy;
use amplify_api_emulator::Fault;
use common::spans::spans;
use common::{ECHO, api_with_retry, builder, emulator};

#[test]
fn a_request_span_has_the_http_client_attributes() {
    let mut port = 0;
    let spans = spans(|| async {
        let emu = emulator().await;
        port = emu
            .api_url()
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u16>()
            .unwrap();
        let client = builder(&emu).build().unwrap();
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/traced/a")
            .query("code", "q-secret-123")
            .query("limit", "5")
            .send()
            .await
            .unwrap();
    });
    let [span] = &spans[..] else {
        panic!("one request span: {spans:?}")
    };
    let expected = [
        ("otel.kind", "client".to_owned()),
        ("http.request.method", "GET".to_owned()),
        ("server.address", "127.0.0.1".to_owned()),
        ("server.port", port.to_string()),
        (
            "url.full",
            format!("http://127.0.0.1:{port}/traced/a?code=REDACTED&limit=REDACTED"),
        ),
        ("amplify.endpoint", ECHO.to_owned()),
        ("http.response.status_code", "200".to_owned()),
    ];
    for (name, value) in expected {
        assert_eq!(span.get(name), Some(&value), "{name} in {span:?}");
    }
    let request_id = span.get("aws.request_id").expect("the request id");
    assert_eq!(request_id.len(), 36, "{span:?}");
    assert!(span.contains_key("latency_ms"), "{span:?}");
    for absent in ["http.request.resend_count", "error.type"] {
        assert!(!span.contains_key(absent), "{absent} in {span:?}");
    }
    assert!(
        !format!("{span:?}").contains("q-secret-123"),
        "no query value: {span:?}"
    );
}

#[test]
fn a_typed_route_names_the_span_and_keeps_each_parameter_in_its_segment() {
    let mut port = 0;
    let spans = spans(|| async {
        let emu = emulator().await;
        port = emu
            .api_url()
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u16>()
            .unwrap();
        let client = builder(&emu).build().unwrap();
        let id = amplify_api::__private::encode_segment("a/b c%2F ü?#");
        client
            .endpoint(ECHO)
            .unwrap()
            .__route(http::Method::GET, "/items/{id}", format!("/items/{id}"))
            .send()
            .await
            .unwrap();
        // Without a template, no template fields.
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/items/1")
            .send()
            .await
            .unwrap();
    });
    let [typed, untyped] = &spans[..] else {
        panic!("two request spans: {spans:?}")
    };
    assert_eq!(
        typed.get("url.template").map(String::as_str),
        Some("/items/{id}")
    );
    assert_eq!(
        typed.get("otel.name").map(String::as_str),
        Some("GET /items/{id}")
    );
    assert_eq!(
        typed.get("url.full"),
        Some(&format!(
            "http://127.0.0.1:{port}/items/a%2Fb%20c%252F%20%C3%BC%3F%23"
        )),
        "{typed:?}"
    );
    assert_eq!(
        typed.get("http.response.status_code").map(String::as_str),
        Some("200")
    );
    for absent in ["url.template", "otel.name"] {
        assert!(!untyped.contains_key(absent), "{absent} in {untyped:?}");
    }
}

#[test]
fn retries_and_failures_are_recorded() {
    let spans = spans(|| async {
        let emu = emulator().await;
        let api = api_with_retry(
            &emu,
            RetryPolicy::default().base_delay(Duration::from_millis(1)),
        );
        emu.api().respond_next(1, Fault::Status(503));
        api.get("/once").send().await.unwrap();
        emu.api().respond_next(3, Fault::Status(502));
        api.get("/out").send().await.unwrap_err();
        let none = api_with_retry(&emu, RetryPolicy::none());
        emu.api().respond_next(1, Fault::Status(404));
        none.get("/missing").send().await.unwrap_err();
    });
    let [once, out, missing] = &spans[..] else {
        panic!("three request spans: {spans:?}")
    };
    assert_eq!(once["http.request.resend_count"], "1", "{once:?}");
    assert_eq!(once["http.response.status_code"], "200", "{once:?}");
    assert!(!once.contains_key("error.type"), "{once:?}");
    assert_eq!(out["http.request.resend_count"], "2", "{out:?}");
    assert_eq!(out["http.response.status_code"], "502", "{out:?}");
    assert_eq!(out["error.type"], "502", "{out:?}");
    assert!(out.contains_key("aws.request_id"), "{out:?}");
    assert!(
        !missing.contains_key("http.request.resend_count"),
        "{missing:?}"
    );
    assert_eq!(missing["error.type"], "404", "{missing:?}");
}

#[test]
fn a_transport_failure_has_an_error_type() {
    let spans = spans(|| async {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let client = amplify_api::Client::builder()
            .endpoint(
                amplify_api::Endpoint::new("gone", url).auth_mode(amplify_api::AuthMode::None),
            )
            .retry(RetryPolicy::none())
            .read_env(false)
            .build()
            .unwrap();
        client
            .endpoint("gone")
            .unwrap()
            .get("/")
            .send()
            .await
            .unwrap_err();
    });
    let [span] = &spans[..] else {
        panic!("one request span: {spans:?}")
    };
    assert_eq!(span["error.type"], "transport", "{span:?}");
    assert!(!span.contains_key("http.response.status_code"), "{span:?}");
}
