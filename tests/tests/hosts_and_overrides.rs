//! Signing for another host than the wire's (an API behind CloudFront), per-request region and
//! service, header maps and repeated query keys, against the verifying emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::layer::SigV4Layer;
use amplify_api::{Client, Endpoint, Error, SigV4};
use amplify_api_emulator::{Echo, Emulator};
use bytes::Bytes;
use common::{ECHO, builder, client, emulator, fixed_credentials, send_echo};
use http::{HeaderMap, HeaderValue};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};

/// The API Gateway host CloudFront forwards to, in the tests.
const ORIGIN: &str = "abc123.execute-api.eu-west-1.amazonaws.com";

/// An emulator answering as API Gateway behind CloudFront with origin path `/prod`.
async fn behind_cloudfront() -> Emulator {
    let emu = emulator().await;
    emu.api().serve_behind_proxy(ORIGIN, "/prod");
    emu
}

/// A client whose `echo` endpoint (at the emulator) signs for `ORIGIN` and `/prod`.
fn proxied_client(emu: &Emulator) -> Client {
    Client::builder()
        .endpoint(
            Endpoint::new(ECHO, emu.api_url())
                .region("us-east-1")
                .signing_host(ORIGIN)
                .signing_path_prefix("/prod/"),
        )
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .read_env(false)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_request_through_a_proxy_is_signed_for_the_origin_host_and_path() {
    let emu = behind_cloudfront().await;
    let api = proxied_client(&emu).endpoint(ECHO).unwrap();
    let echo = send_echo(
        api.post("/items/a%2Fb")
            .query("tag", "x y")
            .json(&serde_json::json!({"n": 1})),
    )
    .await;
    // Verified as API Gateway sees it: its own host, the origin path before ours.
    assert_eq!(echo.path, "/prod/items/a%2Fb");
    assert_eq!(echo.query, "tag=x%20y");
    assert_eq!(echo.headers.get("host").map(String::as_str), Some(ORIGIN));
    // Region and service come from the signing host, not the endpoint's `us-east-1`.
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        ("eu-west-1", "execute-api")
    );
    assert!(echo.signed_headers.iter().any(|h| h == "host"));

    // What was signed: the origin's host and path; what goes out: the endpoint's URL.
    let (request, details) = api.get("/items").build_with_details().await.unwrap();
    let details = details.unwrap();
    assert!(
        details
            .canonical_request()
            .starts_with("GET\n/prod/items\n\n"),
        "{}",
        details.canonical_request()
    );
    assert!(
        details
            .canonical_request()
            .contains(&format!("\nhost:{ORIGIN}\n"))
    );
    assert_eq!(
        request.uri().to_string(),
        format!("{}/items", emu.api_url())
    );
}

#[tokio::test]
async fn behind_the_proxy_a_request_signed_for_the_wire_host_is_refused() {
    // The emulator's mode is a real check: the client without a signing host fails there.
    let emu = behind_cloudfront().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let err = api.get("/items").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{err}");
    assert_eq!(err.aws_error_name(), Some("InvalidSignatureException"));
}

#[tokio::test]
async fn a_config_file_says_the_signing_host_and_path_prefix() {
    let emu = behind_cloudfront().await;
    let config = serde_json::json!({
        "aws_project_region": "us-east-1",
        "aws_cognito_identity_pool_id": emu.identity_pool_id(),
        "aws_cloud_logic_custom": [{
            "name": ECHO,
            "endpoint": emu.api_url(),
            "region": "us-east-1",
            "signingHost": ORIGIN,
            "signingPathPrefix": "/prod",
        }],
    });
    let client = Client::builder()
        .config_str(&config.to_string())
        .cognito_endpoint(emu.cognito_url())
        .read_env(false)
        .build()
        .unwrap();
    let echo = send_echo(client.endpoint(ECHO).unwrap().get("/items")).await;
    assert_eq!(echo.path, "/prod/items");
    assert_eq!(echo.region, "eu-west-1");

    // The builder's override says the same for a config that does not.
    let overridden = builder(&emu)
        .endpoint_signing_host(ECHO, ORIGIN, Some("/prod"))
        .build()
        .unwrap();
    let echo = send_echo(overridden.endpoint(ECHO).unwrap().get("/x")).await;
    assert_eq!(echo.path, "/prod/x");
}

#[tokio::test]
async fn bad_signing_hosts_are_config_errors() {
    let emu = emulator().await;
    for (host, prefix, needle) in [
        ("https://abc.example.com", None, "not a signing host"),
        ("abc.example.com/prod", None, "not a signing host"),
        ("", None, "it is empty"),
        (ORIGIN, Some("prod"), "must start with `/`"),
        (ORIGIN, Some("/a/../b"), "not a signing path prefix"),
    ] {
        let mut endpoint = Endpoint::new(ECHO, emu.api_url())
            .region("us-east-1")
            .signing_host(host);
        if let Some(prefix) = prefix {
            endpoint = endpoint.signing_path_prefix(prefix);
        }
        let err = Client::builder()
            .endpoint(endpoint)
            .read_env(false)
            .credentials_provider(fixed_credentials("AKID", "secret", None))
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::Config(m) if m.contains(needle)),
            "{host} {prefix:?}: {err}"
        );
    }
    let err = Client::builder()
        .endpoint(
            Endpoint::new(ECHO, emu.api_url())
                .region("us-east-1")
                .signing_path_prefix("/prod"),
        )
        .read_env(false)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no signing host"), "{err}");
}

#[tokio::test]
async fn the_tower_layer_signs_for_the_endpoints_signing_host() {
    let emu = behind_cloudfront().await;
    let api = proxied_client(&emu).endpoint(ECHO).unwrap();
    let hyper = HyperClient::builder(TokioExecutor::new()).build_http();
    for sigv4 in [
        SigV4::from_endpoint(&api).unwrap(),
        fixed_sigv4(&emu)
            .signing_host(ORIGIN)
            .unwrap()
            .signing_path_prefix("/prod")
            .unwrap(),
    ] {
        let service = SigV4Layer::new(sigv4).layer(hyper.clone());
        let request = http::Request::get(format!("{}/items", emu.api_url()))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = service.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let echo: Echo = serde_json::from_slice(&body).unwrap();
        assert_eq!(echo.path, "/prod/items");
    }
    assert!(fixed_sigv4(&emu).signing_path_prefix("/prod").is_err());
}

/// A `SigV4` with fixed credentials the emulator accepts, for `eu-west-1`.
fn fixed_sigv4(emu: &Emulator) -> SigV4 {
    emu.allow_credentials("AKIDPROXY", "proxy-secret", None);
    SigV4::new(
        fixed_credentials("AKIDPROXY", "proxy-secret", None),
        "eu-west-1",
        "execute-api",
    )
    .unwrap()
}

#[tokio::test]
async fn a_request_can_be_signed_for_its_own_region_and_service() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let echo = send_echo(api.get("/eu").region(" eu-west-1 ")).await;
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        ("eu-west-1", "execute-api")
    );
    let echo = send_echo(api.post("/fn").service("lambda").text("x")).await;
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        ("us-east-1", "lambda")
    );
    let echo = send_echo(api.get("/both").region("ap-south-1").service("lambda")).await;
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        ("ap-south-1", "lambda")
    );
    // The endpoint's own scope is untouched for the next request.
    let echo = send_echo(api.get("/plain")).await;
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        ("us-east-1", "execute-api")
    );

    let served = emu.api().requests_served();
    for request in [
        api.get("/x").region("Europe"),
        api.get("/x").region(""),
        api.get("/x").service("exe cute"),
        api.get("/x").service("a/b"),
    ] {
        let err = request.send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    }
    assert_eq!(emu.api().requests_served(), served, "nothing bad is sent");
}

#[tokio::test]
async fn a_header_map_is_added_with_every_value_checked_and_signed() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("x-trace", HeaderValue::from_static("  abc  "));
    headers.append("x-tag", HeaderValue::from_static("a"));
    headers.append("x-tag", HeaderValue::from_static("b"));
    let mut secret = HeaderValue::from_static("map-secret-sentinel");
    secret.set_sensitive(true);
    headers.insert("x-my-key", secret);
    let request = api.get("/items").headers(headers);
    assert!(!format!("{request:?}").contains("map-secret-sentinel"));
    let echo = send_echo(request).await;
    assert_eq!(echo.headers.get("x-trace").map(String::as_str), Some("abc"));
    assert_eq!(echo.headers.get("x-tag").map(String::as_str), Some("a,b"));
    for name in ["x-trace", "x-tag", "x-my-key"] {
        assert!(
            echo.signed_headers.iter().any(|h| h == name),
            "{name} signed"
        );
    }

    let served = emu.api().requests_served();
    let mut bad = HeaderMap::new();
    bad.insert("x-bin", HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap());
    let err = api.get("/x").headers(bad).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("x-bin")),
        "{err}"
    );
    let mut reserved = HeaderMap::new();
    reserved.insert("x-amz-date", HeaderValue::from_static("20200101T000000Z"));
    let err = api.get("/x").headers(reserved).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("x-amz-date")),
        "{err}"
    );
    assert_eq!(emu.api().requests_served(), served, "nothing bad is sent");
}

#[tokio::test]
async fn repeated_query_keys_are_each_sent_in_order_and_signed() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let echo = send_echo(
        api.get("/items?tag=z")
            .query("tag", "b")
            .query("tag", "a")
            .queries([("tag", "a"), ("n", "1")]),
    )
    .await;
    // Every pair arrives, in the order given (the signature sorts them, the wire does not).
    assert_eq!(echo.query, "tag=z&tag=b&tag=a&tag=a&n=1");
}
