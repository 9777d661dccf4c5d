//! `RequestBuilder::build_with_details`: what the one signer computed for a built request, the
//! same as the emulator's independent verifier computes for what it received.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::{AuthMode, Client, Endpoint};
use amplify_api_emulator::Echo;
use amplify_api_emulator::sigv4_verify::{self, WireRequest};
use common::{ECHO, client, emulator};

#[tokio::test]
async fn details_are_what_the_emulator_verified() {
    let emu = emulator().await;
    emu.api().require_iam();
    let api = client(&emu).endpoint(ECHO).unwrap();
    let (request, details) = api
        .put("/a b/c")
        .query("q", "x y")
        .header("x-trace", "t")
        .text("body")
        .build_with_details()
        .await
        .unwrap();
    let details = details.expect("an AWS_IAM endpoint signs");
    let debug = format!("{details:?}");
    let token = request.headers()["x-amz-security-token"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!debug.contains(&token), "Debug shows no token: {debug}");
    let response = reqwest::Client::new()
        .execute(reqwest::Request::try_from(request).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let echo: Echo = response.json().await.unwrap();
    let wire = WireRequest {
        method: echo.method.clone(),
        path: echo.path.clone(),
        query: echo.query.clone(),
        headers: echo.headers.clone().into_iter().collect(),
        body: echo.body.clone().into_bytes(),
    };
    let expected = sigv4_verify::canonical_request(&wire, &echo.signed_headers, true);
    assert_eq!(details.canonical_request(), expected);
    let amz_date = &echo.headers["x-amz-date"];
    let scope = format!("{}/us-east-1/execute-api/aws4_request", &amz_date[..8]);
    assert_eq!(details.credential_scope(), scope);
    assert_eq!(
        details.string_to_sign(),
        sigv4_verify::string_to_sign(amz_date, &scope, &expected)
    );
    assert_eq!(details.signed_headers(), echo.signed_headers.join(";"));
    let expires = details.expires().expect("Cognito credentials expire");
    assert!(expires > std::time::SystemTime::now());
}

#[tokio::test]
async fn unsigned_endpoints_have_no_details() {
    let emu = emulator().await;
    let client = Client::builder()
        .endpoint(Endpoint::new("open", emu.api_url()).auth_mode(AuthMode::None))
        .build()
        .unwrap();
    let (request, details) = client
        .endpoint("open")
        .unwrap()
        .get("/")
        .build_with_details()
        .await
        .unwrap();
    assert!(details.is_none());
    assert!(!request.headers().contains_key("authorization"));
}

#[tokio::test]
async fn on_attempt_shows_each_attempt_as_signed_with_secrets_redacted() {
    use std::sync::{Arc, Mutex};
    let emu = emulator().await;
    emu.api().require_iam();
    emu.api()
        .respond_next(1, amplify_api_emulator::Fault::Status(503));
    let api = client(&emu).endpoint(ECHO).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let response = api
        .get("/seen")
        .query("code", "query-sentinel")
        .sensitive_header("x-mine", "mine-sentinel")
        .on_attempt({
            let seen = seen.clone();
            move |sent| {
                seen.lock().unwrap().push((
                    sent.attempt(),
                    sent.url().to_owned(),
                    sent.headers(),
                    sent.canonical_request().unwrap(),
                    sent.signed_headers().unwrap().to_owned(),
                    format!("{sent:?}"),
                ));
            }
        })
        .send()
        .await
        .unwrap();
    let echo: Echo = response.json().unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "the 503 and the retry");
    assert_eq!((seen[0].0, seen[1].0), (1, 2));
    let (_, url, headers, canonical, signed, debug) = &seen[1];
    assert!(url.ends_with("/seen?code=query-sentinel"), "{url}");
    assert!(!debug.contains("query-sentinel"), "{debug}");
    // The canonical request is the verifier's, with the secret values replaced.
    let wire = WireRequest {
        method: echo.method.clone(),
        path: echo.path.clone(),
        query: echo.query.clone(),
        headers: echo.headers.clone().into_iter().collect(),
        body: echo.body.clone().into_bytes(),
    };
    let token = &echo.headers["x-amz-security-token"];
    let expected = sigv4_verify::canonical_request(&wire, &echo.signed_headers, true)
        .replace(token, "** redacted **")
        .replace("mine-sentinel", "** redacted **");
    assert_eq!(canonical, &expected);
    assert_eq!(signed, &echo.signed_headers.join(";"));
    let shown = format!("{headers:?}");
    for secret in [token.as_str(), "mine-sentinel"] {
        assert!(
            !shown.contains(secret) && !canonical.contains(secret),
            "{shown}"
        );
    }
    let authorization = headers["authorization"].to_str().unwrap();
    let (before, _) = echo.headers["authorization"]
        .split_once("Signature=")
        .unwrap();
    assert_eq!(authorization, format!("{before}Signature=** redacted **"));
    assert_eq!(headers["x-amz-security-token"], "** redacted **");
}
