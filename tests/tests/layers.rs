//! The sign stage reused by other stacks, end to end against the emulator (which verifies the
//! signatures): the `tower` layer under a hyper client, and the `reqwest-middleware`
//! middleware under reqwest.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::layer::SigV4Layer;
use amplify_api::middleware::SigV4Middleware;
use amplify_api::{AuthMode, Client, Endpoint, Error, SigV4};
use amplify_api_emulator::{Echo, Emulator};
use bytes::Bytes;
use common::{ECHO, client, emulator, fixed_credentials};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};

const KEY_ID: &str = "AKIDLAYER";
const SECRET: &str = "layer-secret";

/// An emulator that accepts `KEY_ID`/`SECRET` (no session token) and requires SigV4.
async fn iam_emulator() -> Emulator {
    let emu = emulator().await;
    emu.allow_credentials(KEY_ID, SECRET, None);
    emu.api().require_iam();
    emu
}

fn sigv4(secret: &str) -> SigV4 {
    SigV4::new(
        fixed_credentials(KEY_ID, secret, None),
        "us-east-1",
        "execute-api",
    )
    .unwrap()
}

fn hyper_client() -> HyperClient<HttpConnector, Full<Bytes>> {
    HyperClient::builder(TokioExecutor::new()).build_http()
}

/// Sends `request` through the layer over a hyper client: the status and the body.
async fn through_layer(sigv4: SigV4, request: http::Request<Full<Bytes>>) -> (u16, Bytes) {
    let service = SigV4Layer::new(sigv4).layer(hyper_client());
    let response = service.oneshot(request).await.expect("the server answers");
    let status = response.status().as_u16();
    (
        status,
        response.into_body().collect().await.unwrap().to_bytes(),
    )
}

fn post(emu: &Emulator, path: &str, body: &'static str) -> http::Request<Full<Bytes>> {
    http::Request::post(format!("{}{path}", emu.api_url()))
        .header("content-type", "application/json")
        .header("x-trace", "abc")
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .unwrap()
}

#[tokio::test]
async fn the_tower_layer_signs_what_the_emulator_verifies() {
    let emu = iam_emulator().await;
    let (status, body) = through_layer(
        sigv4(SECRET),
        post(&emu, "/items/1?dry-run=true", r#"{"n":1}"#),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let echo: Echo = serde_json::from_slice(&body).unwrap();
    assert_eq!(echo.access_key_id, KEY_ID);
    assert_eq!(echo.region, "us-east-1");
    assert_eq!(echo.path, "/items/1");
    assert_eq!(echo.query, "dry-run=true");
    assert_eq!(echo.body, r#"{"n":1}"#);
    assert!(echo.signed_headers.iter().any(|h| h == "x-trace"));
}

#[tokio::test]
async fn the_tower_layer_sends_header_values_folded_as_it_signs_them() {
    // The emulator folds whitespace runs, tabs included, as botocore and API Gateway's readers
    // do: a tab sent as given but signed with spaces-only folding would be rejected.
    let emu = iam_emulator().await;
    let mut request = post(&emu, "/folded", "{}");
    for (name, value) in [
        ("x-tab", "tab\tinside"),
        ("x-runs", "a \t  b"),
        ("x-lead", " lead"),
        ("x-trail", "trail\t"),
    ] {
        request
            .headers_mut()
            .insert(name, http::HeaderValue::from_static(value));
    }
    let (status, body) = through_layer(sigv4(SECRET), request).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let echo: Echo = serde_json::from_slice(&body).unwrap();
    for (name, sent) in [
        ("x-tab", "tab inside"),
        ("x-runs", "a b"),
        ("x-lead", "lead"),
        ("x-trail", "trail"),
    ] {
        assert_eq!(
            echo.headers.get(name).map(String::as_str),
            Some(sent),
            "{name}"
        );
        assert!(
            echo.signed_headers.iter().any(|h| h == name),
            "{name} signed"
        );
    }
}

#[tokio::test]
async fn the_tower_layer_refuses_a_path_it_would_sign_other_than_sent() {
    // `url` resolves `..`; hyper sends it as written: signing the resolved path would sign
    // another path than the one on the wire.
    let emu = iam_emulator().await;
    let service = SigV4Layer::new(sigv4(SECRET)).layer(hyper_client());
    for path in ["/a/../b", "/a/./b", "/a/%2e%2e/b"] {
        let request = post(&emu, path, "{}");
        let error = service.clone().oneshot(request).await.unwrap_err();
        assert!(
            matches!(
                error.downcast_ref::<Error>(),
                Some(Error::InvalidRequest(_))
            ),
            "{path}: {error}"
        );
    }
    assert_eq!(emu.api().requests_served(), 0, "nothing was sent");
}

#[tokio::test]
async fn the_tower_layer_with_wrong_credentials_is_rejected() {
    let emu = iam_emulator().await;
    let (status, body) = through_layer(sigv4("not-the-secret"), post(&emu, "/x", "{}")).await;
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    assert!(
        String::from_utf8_lossy(&body).contains("signature"),
        "{}",
        String::from_utf8_lossy(&body)
    );
}

#[tokio::test]
async fn the_tower_layer_shares_the_clients_cognito_credentials() {
    let emu = emulator().await;
    emu.api().require_iam();
    let client = client(&emu);
    let shared = SigV4::from_endpoint(&client.endpoint(ECHO).unwrap()).unwrap();
    let (status, body) = through_layer(shared, post(&emu, "/cognito", "{}")).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    // The client signs with the same cached credentials: Cognito was asked once.
    client
        .endpoint(ECHO)
        .unwrap()
        .get("/again")
        .send()
        .await
        .unwrap();
    assert_eq!(emu.cognito().get_credentials_calls(), 1);
}

#[tokio::test]
async fn the_tower_layer_learns_the_clock_from_a_rejection() {
    let emu = iam_emulator().await;
    emu.set_clock_skew(3600);
    let signer = sigv4(SECRET);
    let (status, _) = through_layer(signer.clone(), post(&emu, "/skewed", "{}")).await;
    assert_eq!(status, 403, "signed an hour off");
    assert!((signer.clock_offset_ms() / 1000 - 3600).abs() <= 5);
    let (status, body) = through_layer(signer, post(&emu, "/skewed", "{}")).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn the_tower_layer_reports_unsignable_requests_without_panicking() {
    let emu = iam_emulator().await;
    let service = SigV4Layer::new(sigv4(SECRET)).layer(hyper_client());
    let mut request = post(&emu, "/x", "{}");
    request.headers_mut().insert(
        "x-latin1",
        http::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
    );
    let err = service.clone().oneshot(request).await.unwrap_err();
    let err = err.downcast::<Error>().expect("our error");
    assert!(matches!(*err, Error::InvalidRequest(_)), "{err}");
    let relative = http::Request::get("/relative?secret=1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let err = service.oneshot(relative).await.unwrap_err();
    assert!(err.to_string().contains("absolute"), "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
    assert_eq!(emu.api().requests_served(), 0);
}

#[test]
fn a_region_is_required() {
    for region in ["", "  ", "US East", "useast1"] {
        let err = SigV4::new(fixed_credentials("a", "b", None), region, "execute-api").unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{region:?}: {err}");
    }
}

#[tokio::test]
async fn only_an_iam_endpoint_makes_a_signer() {
    let emu = emulator().await;
    let client = Client::builder()
        .endpoint(Endpoint::new("keyed", emu.api_url()).auth_mode(AuthMode::ApiKey))
        .read_env(false)
        .build()
        .unwrap();
    let err = SigV4::from_endpoint(&client.endpoint("keyed").unwrap()).unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
}

fn middleware_client(sigv4: SigV4) -> reqwest_middleware::ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(SigV4Middleware::new(sigv4))
        .build()
}

#[tokio::test]
async fn the_middleware_signs_what_the_emulator_verifies() {
    let emu = iam_emulator().await;
    let response = middleware_client(sigv4(SECRET))
        .put(format!("{}/items/2?v=1", emu.api_url()))
        .header("x-trace", "abc")
        .body(r#"{"n":2}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let echo: Echo = response.json().await.unwrap();
    assert_eq!(echo.access_key_id, KEY_ID);
    assert_eq!(echo.method, "PUT");
    assert_eq!(echo.query, "v=1");
    assert_eq!(echo.body, r#"{"n":2}"#);
}

#[tokio::test]
async fn the_middleware_with_wrong_credentials_is_rejected() {
    let emu = iam_emulator().await;
    let response = middleware_client(sigv4("not-the-secret"))
        .get(format!("{}/items", emu.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn the_middleware_shares_the_clients_cognito_credentials() {
    let emu = emulator().await;
    emu.api().require_iam();
    let client = client(&emu);
    let shared = SigV4::from_endpoint(&client.endpoint(ECHO).unwrap()).unwrap();
    let response = middleware_client(shared)
        .get(format!("{}/cognito", emu.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The client signs with the same cached credentials: Cognito was asked once, by whichever
    // signed first.
    client
        .endpoint(ECHO)
        .unwrap()
        .get("/again")
        .send()
        .await
        .unwrap();
    let response =
        middleware_client(SigV4::from_endpoint(&client.endpoint(ECHO).unwrap()).unwrap())
            .get(format!("{}/cognito", emu.api_url()))
            .send()
            .await
            .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(emu.cognito().get_id_calls(), 1);
    assert_eq!(emu.cognito().get_credentials_calls(), 1);
}

/// A server that records requests and answers 200.
fn recorder() -> common::RawServer {
    common::RawServer::always(common::http_response("200 OK", &[], "ok"))
}

#[tokio::test]
async fn the_layer_and_the_middleware_leave_a_callers_authorization_unsigned() {
    // As `send()` does: a caller's own `Authorization` means "do not sign" (signing it would
    // put it in `SignedHeaders`, and a second signature would then never verify).
    let server = recorder();
    let request = http::Request::get(format!("{}/mine", server.url()))
        .header("authorization", "Bearer caller-token")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let service = SigV4Layer::new(sigv4(SECRET)).layer(hyper_client());
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let response = middleware_client(sigv4(SECRET))
        .get(format!("{}/mine", server.url()))
        .header("authorization", "Bearer caller-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    for request in seen {
        let request = request.to_lowercase();
        assert!(
            request.contains("authorization: bearer caller-token"),
            "{request}"
        );
        assert!(!request.contains("x-amz-date"), "{request}");
        assert!(!request.contains("aws4-hmac-sha256"), "{request}");
    }
}

#[tokio::test]
async fn a_callers_amz_headers_are_replaced_by_the_signatures() {
    // A stale `x-amz-date` and a session token our (long-term) credentials do not have: sent
    // beside the signature, the token would go unsigned and the request be refused.
    let emu = iam_emulator().await;
    let mut request = post(&emu, "/amz", "{}");
    for (name, value) in [
        ("x-amz-date", "20000101T000000Z"),
        ("x-amz-security-token", "stale-token"),
    ] {
        request
            .headers_mut()
            .insert(name, http::HeaderValue::from_static(value));
    }
    let (status, body) = through_layer(sigv4(SECRET), request).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let echo: Echo = serde_json::from_slice(&body).unwrap();
    assert!(
        !echo.headers.contains_key("x-amz-security-token"),
        "{echo:?}"
    );
}

#[tokio::test]
async fn an_upper_case_host_through_the_layer_is_signed_as_sent() {
    let emu = iam_emulator().await;
    let port = emu.api_url().rsplit(':').next().unwrap().to_owned();
    let request = http::Request::post(format!("http://LOCALHOST:{port}/items"))
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    let (status, body) = through_layer(sigv4(SECRET), request).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn hop_by_hop_headers_are_refused_on_every_surface() {
    let emu = iam_emulator().await;
    for (name, value) in [
        ("connection", "close"),
        ("te", "trailers"),
        ("upgrade", "h2c"),
        ("keep-alive", "timeout=5"),
        ("proxy-connection", "keep-alive"),
    ] {
        let mut request = post(&emu, "/hop", "{}");
        request
            .headers_mut()
            .insert(name, http::HeaderValue::from_static(value));
        let service = SigV4Layer::new(sigv4(SECRET)).layer(hyper_client());
        let err = service.oneshot(request).await.unwrap_err();
        let err = err.downcast::<Error>().expect("our error");
        assert_eq!(
            err.invalid_request_kind(),
            Some(amplify_api::InvalidRequestKind::HopByHopHeader),
            "layer, {name}: {err}"
        );
        let err = middleware_client(sigv4(SECRET))
            .get(format!("{}/hop", emu.api_url()))
            .header(name, value)
            .send()
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("hop-by-hop"),
            "middleware, {name}: {err}"
        );
        let err = client(&emu)
            .endpoint(ECHO)
            .unwrap()
            .get("/hop")
            .header(name, value)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.invalid_request_kind(),
            Some(amplify_api::InvalidRequestKind::HopByHopHeader),
            "send(), {name}: {err}"
        );
    }
    assert_eq!(emu.api().requests_served(), 0, "nothing was sent");
}
