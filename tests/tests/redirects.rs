//! No header of ours reaches another origin, whatever the surface: a 307 from the API to a
//! second loopback server (which records every request), through `send()`, the
//! `reqwest-middleware` middleware, and the tower layer under tower-http's `FollowRedirect`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::layer::SigV4Layer;
use amplify_api::middleware::SigV4Middleware;
use amplify_api::{Error, InvalidRequestKind, SigV4};
use bytes::Bytes;
use common::{ECHO, RawServer, fixed_credentials, http_response, signing_builder};
use http_body_util::Full;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};
use tower_http::follow_redirect::FollowRedirect;

const TOKEN: &str = "REDIRECT-TOKEN-sentinel";

/// The second origin, recording what it gets, and the API answering every request with a 307
/// to it.
fn servers() -> (RawServer, RawServer) {
    let thief = RawServer::always(http_response("200 OK", &[], "stolen"));
    let location = format!("{}/steal", thief.url());
    let api = RawServer::always(http_response(
        "307 Temporary Redirect",
        &[("location", &location)],
        "",
    ));
    (api, thief)
}

/// The second server got none of our headers (and, here, nothing at all).
fn assert_nothing_reached(thief: &RawServer, surface: &str) {
    let seen = thief.requests().join("\n").to_lowercase();
    for header in ["x-amz-security-token", "x-amz-date", "authorization"] {
        assert!(
            !seen.contains(header),
            "{surface}: {header} reached: {seen}"
        );
    }
    assert!(!seen.contains(&TOKEN.to_lowercase()), "{surface}: {seen}");
    assert_eq!(thief.accepted(), 0, "{surface}: {seen}");
}

/// The API got our signed request (so the check above could fail).
fn assert_signed_at(api: &RawServer, surface: &str) {
    let first = api.requests().join("\n").to_lowercase();
    assert!(
        first.contains("x-amz-security-token") && first.contains("authorization: aws4-hmac"),
        "{surface}: {first}"
    );
}

fn sigv4_for(api: &RawServer) -> SigV4 {
    let host = api.url().trim_start_matches("http://").to_owned();
    SigV4::new(
        fixed_credentials("AKIDREDIRECT", "secret", Some(TOKEN)),
        "us-east-1",
        "execute-api",
    )
    .unwrap()
    .for_host(&host)
    .unwrap()
}

#[tokio::test]
async fn send_does_not_follow_a_307_to_another_origin() {
    let (api, thief) = servers();
    let client = signing_builder(
        &api.url(),
        fixed_credentials("AKIDREDIRECT", "secret", Some(TOKEN)),
    )
    .build()
    .unwrap();
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .post("/start")
        .json(&serde_json::json!({"n": 1}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err}");
    assert_signed_at(&api, "send()");
    assert_nothing_reached(&thief, "send()");
}

#[tokio::test]
async fn the_middleware_on_its_own_client_does_not_follow_a_307() {
    let (api, thief) = servers();
    let client = SigV4Middleware::client(sigv4_for(&api)).unwrap();
    let response = client
        .post(format!("{}/start", api.url()))
        .body(r#"{"n":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 307);
    assert_signed_at(&api, "middleware");
    assert_nothing_reached(&thief, "middleware");
}

#[tokio::test]
async fn the_middleware_on_a_redirect_following_client_reports_the_redirect() {
    // `reqwest::Client::new()` follows redirects inside the client, below any middleware: the
    // middleware cannot stop it (the module docs say so) and reports it as an error.
    let (api, thief) = servers();
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(SigV4Middleware::new(sigv4_for(&api)))
        .build();
    let err = client
        .post(format!("{}/start", api.url()))
        .body(r#"{"n":1}"#)
        .send()
        .await
        .unwrap_err();
    let ours = match &err {
        reqwest_middleware::Error::Middleware(e) => e.downcast_ref::<Error>(),
        reqwest_middleware::Error::Reqwest(_) => None,
    }
    .expect("our error");
    assert_eq!(
        ours.invalid_request_kind(),
        Some(InvalidRequestKind::HostNotAllowed),
        "{ours}"
    );
    assert!(ours.to_string().contains("redirect"), "{ours}");
    assert_signed_at(&api, "middleware on Client::new()");
    // reqwest strips only `authorization` on its way to another origin.
    let seen = thief.requests().join("\n").to_lowercase();
    assert!(!seen.contains("authorization"), "{seen}");
}

#[tokio::test]
async fn the_layer_under_follow_redirect_does_not_sign_for_another_origin() {
    let (api, thief) = servers();
    let hyper = HyperClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let service = FollowRedirect::new(SigV4Layer::new(sigv4_for(&api)).layer(hyper));
    // A GET: tower-http's standard policy re-sends a body only when told how to clone it.
    let request = http::Request::get(format!("{}/start?v=1", api.url()))
        .header("x-trace", "abc")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let err = service.oneshot(request).await.unwrap_err();
    let ours = err.downcast_ref::<Error>().expect("our error");
    assert_eq!(
        ours.invalid_request_kind(),
        Some(InvalidRequestKind::HostNotAllowed),
        "{ours}"
    );
    assert_signed_at(&api, "layer");
    assert_nothing_reached(&thief, "layer");
}

#[tokio::test]
async fn a_signer_from_an_endpoint_signs_only_for_its_host() {
    let (api, thief) = servers();
    let client = signing_builder(
        &api.url(),
        fixed_credentials("AKIDREDIRECT", "secret", Some(TOKEN)),
    )
    .build()
    .unwrap();
    let sigv4 = SigV4::from_endpoint(&client.endpoint(ECHO).unwrap()).unwrap();
    let to = |url: String| {
        http::Request::get(format!("{url}/x"))
            .body(Bytes::new())
            .unwrap()
    };
    assert!(sigv4.sign(to(api.url())).await.is_ok());
    let err = sigv4.sign(to(thief.url())).await.unwrap_err();
    assert_eq!(
        err.invalid_request_kind(),
        Some(InvalidRequestKind::HostNotAllowed),
        "{err}"
    );
}
