//! The signed request without sending it (`RequestBuilder::build`), sent with a plain HTTP
//! client of the caller's: the emulator verifies its signature.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api_emulator::Echo;
use common::{ECHO, client, emulator};

/// Sends an `http::Request<Bytes>` with plain reqwest (no amplify-api in the path).
async fn send_plain(request: http::Request<bytes::Bytes>) -> reqwest::Response {
    let request = reqwest::Request::try_from(request).expect("a request reqwest accepts");
    reqwest::Client::new()
        .execute(request)
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn built_requests_are_signed_and_accepted() {
    let emu = emulator().await;
    emu.api().require_iam();
    let api = client(&emu).endpoint(ECHO).unwrap();
    let request = api
        .post("/items/a b")
        .query("limit", "10")
        .header("x-trace", "abc")
        .json(&serde_json::json!({"name": "pen"}))
        .build()
        .await
        .unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert!(request.headers().contains_key("authorization"));
    assert!(request.headers().contains_key("x-amz-security-token"));
    assert_eq!(request.body().as_ref(), br#"{"name":"pen"}"#);
    let response = send_plain(request).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let echo: Echo = response.json().await.unwrap();
    assert_eq!(echo.method, "POST");
    assert_eq!(echo.path, "/items/a%20b");
    assert_eq!(echo.query, "limit=10");
    assert_eq!(echo.region, "us-east-1");
    assert_eq!(echo.service, "execute-api");
    assert_eq!(echo.body, r#"{"name":"pen"}"#);
    assert!(echo.signed_headers.iter().any(|h| h == "x-trace"));
}

#[tokio::test]
async fn a_built_request_altered_after_signing_is_rejected() {
    let emu = emulator().await;
    emu.api().require_iam();
    let api = client(&emu).endpoint(ECHO).unwrap();
    let mut request = api.get("/items").build().await.unwrap();
    // The emulator checks the signature: a changed path no longer matches it.
    *request.uri_mut() = format!("{}/other", emu.api_url()).parse().unwrap();
    let response = send_plain(request).await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn build_reports_what_send_would() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let err = api.get("/x").body("no").build().await.unwrap_err();
    assert!(
        matches!(err, amplify_api::Error::InvalidRequest(_)),
        "{err}"
    );
}
