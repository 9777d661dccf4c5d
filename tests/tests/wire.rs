//! What goes on the wire, and what never does: header values sent folded (so every SigV4
//! reading signs them alike), query control characters encoded and sent, non-UTF-8 escapes
//! refused; no redirect carrying our headers to another origin, no query string in a transport
//! error, no secret in `Debug` or in a quoted error body, no password in an endpoint URL.

mod common;

use amplify_api::{Client, Endpoint, Error, RetryPolicy};
use common::{
    ECHO, RawServer, client, emulator, fixed_credentials, http_response, send_echo, send_err,
    signing_builder, static_builder,
};

/// The four values, and what goes out for each.
const FOLDED: [(&str, &str); 4] = [
    ("tab\tinside", "tab inside"),
    ("a \t  b", "a b"),
    (" lead", "lead"),
    ("trail\t", "trail"),
];

#[tokio::test]
async fn header_whitespace_is_sent_folded_and_signed_as_sent() {
    // The emulator's verifier folds every whitespace run, tabs too, as botocore does: a value
    // signed unfolded with a tab in it would be refused.
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    for (given, sent) in FOLDED {
        let echo = send_echo(api.get("/h").header("x-custom", given)).await;
        assert_eq!(echo.headers["x-custom"], sent, "{given:?}");
        assert!(echo.signed_headers.contains(&"x-custom".to_owned()));
    }
    // On the wire, byte for byte.
    let raw = RawServer::always(http_response("200 OK", &[], ""));
    let api = static_builder(&raw.url())
        .build()
        .unwrap()
        .endpoint(ECHO)
        .unwrap();
    for (given, _) in FOLDED {
        api.get("/h")
            .header("X-Custom", given)
            .send()
            .await
            .unwrap();
    }
    let requests = raw.requests();
    for ((given, sent), request) in FOLDED.iter().zip(&requests) {
        assert!(
            request.contains(&format!("\r\nx-custom: {sent}\r\n")),
            "{given:?}: {request}"
        );
    }
}

#[tokio::test]
async fn query_control_characters_are_encoded_and_sent() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let echo = send_echo(
        api.get("/q")
            .query("text", "line1\nline2")
            .query("tab\t", "\r\0\u{7f}\u{85}"),
    )
    .await;
    assert_eq!(echo.query, "text=line1%0Aline2&tab%09=%0D%00%7F%C2%85");
    // Written as escapes in a path string, they are kept.
    let echo = send_echo(api.get("/q?a=%0A&b=%09")).await;
    assert_eq!(echo.query, "a=%0A&b=%09");
    // Written raw in the path, they are still refused, before sending.
    let served = emu.api().requests_served();
    for path in ["/q\n", "/q?a=\n"] {
        let err = send_err(api.get(path)).await;
        assert!(err.to_string().contains("control character"), "{err}");
    }
    assert_eq!(emu.api().requests_served(), served);
}

#[tokio::test]
async fn a_non_utf8_query_escape_in_a_path_is_refused() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let served = emu.api().requests_served();
    for path in ["/q?q=%FF", "/q?%C3=x", "/q?a=1&b=%E2%82"] {
        let err = send_err(api.get(path)).await;
        assert!(matches!(err, Error::InvalidRequest(_)), "{path}: {err}");
        assert!(err.to_string().contains("not UTF-8"), "{path}: {err}");
    }
    assert_eq!(emu.api().requests_served(), served, "nothing was sent");
    // Escapes that are UTF-8 go out as they are.
    let echo = send_echo(api.get("/q?u=%C3%BC&e=%F0%9F%98%80")).await;
    assert_eq!(echo.query, "u=%C3%BC&e=%F0%9F%98%80");
}

#[tokio::test]
async fn a_callers_http_client_never_follows_a_redirect_to_another_origin() {
    let thief = RawServer::always(http_response("200 OK", &[], ""));
    let redirector = RawServer::always(http_response(
        "307 Temporary Redirect",
        &[("location", &format!("{}/steal", thief.url()))],
        "",
    ));
    let endpoints = |b: amplify_api::ClientBuilder| {
        b.endpoint(
            Endpoint::new("key", redirector.url())
                .auth_mode(amplify_api::AuthMode::ApiKey)
                .api_key("KEY-sentinel"),
        )
        // reqwest's default builder follows up to 10 redirects.
        .http_client(reqwest::Client::builder())
        .retry(RetryPolicy::none())
    };
    let client = endpoints(signing_builder(
        &redirector.url(),
        fixed_credentials("AKID", "SECRET", Some("TOKEN-sentinel")),
    ))
    .build()
    .unwrap();
    for endpoint in [ECHO, "key"] {
        let err = send_err(
            client
                .endpoint(endpoint)
                .unwrap()
                .post("/start")
                .sensitive_header("x-mine", "MINE-sentinel")
                .body("payload"),
        )
        .await;
        assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err}");
    }
    let seen = redirector.requests().join("\n");
    for sent in ["TOKEN-sentinel", "KEY-sentinel", "MINE-sentinel"] {
        assert!(seen.contains(sent), "{sent} went to the endpoint itself");
    }
    assert!(
        thief.requests().is_empty(),
        "the other origin got: {:?}",
        thief.requests()
    );
}

#[tokio::test]
async fn transport_errors_never_show_the_query_string() {
    // A port nobody listens on: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/dev");
    let client = static_builder(&url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = send_err(
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/x?code=PATHQUERY-sentinel")
            .query("token", "QUERY-sentinel"),
    )
    .await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let mut text = format!("{err} | {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(e) = source {
        text.push_str(&format!(" | {e} | {e:?}"));
        source = e.source();
    }
    assert!(text.contains(&format!("127.0.0.1:{port}/dev/x")), "{text}");
    assert!(!text.contains("sentinel"), "{text}");
}

#[test]
fn an_endpoint_url_with_a_password_is_refused() {
    for url in [
        "https://:pw@api.example.com/dev",
        "https://user:pw@api.example.com/dev",
        "https://user@api.example.com/dev",
    ] {
        let err = Client::builder()
            .endpoint(Endpoint::new("api", url).region("us-east-1"))
            .credentials_provider(fixed_credentials("A", "S", None))
            .read_env(false)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("user info"), "{url}: {err}");
    }
}

#[tokio::test]
async fn debug_of_a_request_shows_no_secret() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let request = api
        .get("/d?code=PATHQUERY-sentinel")
        .query("token", "QUERY-sentinel")
        .header("authorization", "AUTH-sentinel")
        .header("X-Api-Key", "KEY-sentinel")
        .sensitive_header("x-mine", "MINE-sentinel")
        .header("x-plain", "visible");
    let debug = format!("{request:?}");
    assert!(!debug.contains("sentinel"), "{debug}");
    assert!(
        debug.contains("visible") && debug.contains("x-mine"),
        "{debug}"
    );
    // Marked sensitive, it is still sent as given.
    let echo = send_echo(api.get("/d").sensitive_header("x-mine", "MINE-sentinel")).await;
    assert_eq!(echo.headers["x-mine"], "MINE-sentinel");
}

#[tokio::test]
async fn every_secret_header_is_redacted_from_error_bodies() {
    // API Gateway's InvalidSignatureException quotes the canonical request: every signed header
    // value, the session token's included. This one also quotes the authorization header.
    let quote = |request: &str| {
        let mut quoted = String::new();
        for line in request.lines().skip(1) {
            if line.is_empty() {
                break;
            }
            quoted.push_str(line);
            quoted.push('\n');
        }
        quoted
    };
    let raw = RawServer::start(move |_, request| {
        let body = serde_json::json!({ "message": format!("The canonical request was\n{}", quote(request)) })
            .to_string();
        common::Answer::Send(http_response(
            "403 Forbidden",
            &[("x-amzn-errortype", "InvalidSignatureException")],
            &body,
        ))
    });
    let client = signing_builder(
        &raw.url(),
        fixed_credentials("AKID", "SECRET", Some("TOKEN/sentinel+=")),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = send_err(
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/e")
            .header("x-api-key", "KEY-sentinel")
            .sensitive_header("x-mine", "MINE \"sentinel\"")
            .header("x-plain", "visible"),
    )
    .await;
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    let sent = raw.requests().join("\n");
    let authorization = sent
        .lines()
        .find_map(|l| l.strip_prefix("authorization: "))
        .unwrap()
        .to_owned();
    assert!(sent.contains("TOKEN/sentinel+=") && sent.contains("MINE \"sentinel\""));
    let body = e.response().text().unwrap().to_owned();
    let text = format!("{err} | {err:?} | {body}");
    assert!(
        body.contains("x-plain:visible") || body.contains("x-plain: visible"),
        "{body}"
    );
    assert!(!text.contains("sentinel"), "{text}");
    assert!(!text.contains(&authorization), "{text}");
    assert!(body.contains("** redacted **"), "{body}");
}

#[test]
fn an_identity_pool_region_must_be_a_region() {
    for pool in [
        "evil.example/x?:abc",
        "attacker.com#:abc",
        "us-east-1.evil.com:abc",
    ] {
        let err = Client::builder()
            .endpoint(Endpoint::new("api", "https://api.example.com").region("us-east-1"))
            .identity_pool(pool)
            .read_env(false)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("<region>:<uuid>"), "{pool}: {err}");
    }
}

#[tokio::test]
async fn a_full_url_inside_a_paths_query_is_a_value() {
    // `/cb?redirect_uri=https://...` was refused as "a full URL in place of a path", though the
    // same value through `.query()` went out.
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let in_path = send_echo(api.get("/cb?redirect_uri=https://app.example/back&s=1")).await;
    let through_query = send_echo(
        api.get("/cb")
            .query("redirect_uri", "https://app.example/back")
            .query("s", "1"),
    )
    .await;
    assert_eq!(in_path.path, "/cb");
    assert_eq!(in_path.query, through_query.query);
    assert!(
        in_path
            .query
            .starts_with("redirect_uri=https%3A%2F%2Fapp.example"),
        "{}",
        in_path.query
    );
    // In the path proper it is still refused.
    let err = send_err(api.get("/https://elsewhere.example/x")).await;
    assert!(err.to_string().contains("full URL"), "{err}");
}
