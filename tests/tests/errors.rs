//! Every error kind, produced by real exchanges with the emulator (or a closed port).

mod common;

use std::time::Duration;

use amplify_api::credentials::CognitoIdentityProvider;
use amplify_api::{Client, Endpoint, Error, RetryPolicy};
use amplify_api_emulator::{CognitoFault, Emulator, Fault};
use aws_credential_types::Credentials;
use common::{
    Answer, ECHO, RawServer, api_with_retry, assert_no_cognito_calls, builder, client, emulator,
    fixed_credentials, http_response, retry_with_base_delay_ms, send_err, send_timing_out,
    signing_builder,
};

#[tokio::test]
async fn status_errors_carry_the_response_and_aws_details() {
    let emu = emulator().await;
    // Wrong secret: the verifier rejects the signature as API Gateway does.
    emu.allow_credentials("AKIDTEST", "right-secret", None);
    let client = signing_builder(
        &emu.api_url(),
        fixed_credentials("AKIDTEST", "wrong-secret", None),
    )
    .build()
    .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), 403);
    assert_eq!(e.name(), Some("InvalidSignatureException"));
    assert!(
        e.message()
            .unwrap()
            .contains("signature we calculated does not match")
    );
    assert!(e.request_id().is_some());
    assert!(e.response().text().unwrap().contains("message"));
    assert_eq!(err.aws_error_name(), Some("InvalidSignatureException"));
    let shown = err.to_string();
    assert!(
        shown.contains("403") && shown.contains("InvalidSignatureException"),
        "{shown}"
    );
    assert!(!shown.contains("wrong-secret"));
}

#[tokio::test]
async fn a_chosen_status_is_an_error_with_its_body() {
    let emu = emulator().await;
    emu.api().respond_next(1, Fault::Status(404));
    let err = send_err(client(&emu).endpoint(ECHO).unwrap().get("/missing")).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn cognito_errors_keep_name_and_message() {
    let emu = emulator().await;
    emu.cognito().fail_next(1, CognitoFault::NotAuthorized);
    let err = send_err(client(&emu).endpoint(ECHO).unwrap().get("/x")).await;
    let Error::Credentials(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.name(), Some("NotAuthorizedException"));
    assert!(
        e.message().contains("unauthenticated identities"),
        "{}",
        e.message()
    );
    assert_eq!(emu.api().requests_served(), 0, "nothing sent unsigned");
}

#[tokio::test]
async fn guest_access_off_is_a_clear_error_without_any_call() {
    let emu = emulator().await;
    let client = builder(&emu).guest_access(false).build().unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert!(matches!(err, Error::Credentials(_)));
    assert!(
        err.to_string().contains("guest access is disabled"),
        "{err}"
    );
    assert_eq!(emu.cognito().get_id_calls(), 0);
}

#[tokio::test]
async fn no_credentials_source_is_a_build_error() {
    let err = Client::builder()
        .endpoint(Endpoint::new("items", "https://api.example.com").region("us-east-1"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(err.to_string().contains("no identity pool"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = signing_builder(
        &format!("http://127.0.0.1:{port}"),
        fixed_credentials("A", "S", None),
    )
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    let Error::Transport(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.attempts(), 1);
    assert!(err.to_string().contains("GET http://127.0.0.1"), "{err}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let emu = emulator().await;
    emu.api().respond_next(1, Fault::Hang);
    let api = api_with_retry(&emu, RetryPolicy::none());
    send_timing_out(
        "hang",
        api.get("/slow").timeout(Duration::from_millis(300)),
        Duration::from_millis(300),
        Duration::from_secs(5),
    )
    .await;
}

#[tokio::test]
async fn bad_requests_are_refused_before_sending() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let bad = [
        api.get("/a\r\nx: y"),
        api.get("/a#frag"),
        api.get("https://evil.example/x"),
        api.get("/x").header("bad name", "v"),
        api.get("/x").header("x-a", "v\r\nx-b: w"),
        api.get("/x").header("x-a", "naïve"),
        api.get("/x").header("host", "evil.example"),
        api.get("/x").header("x-big", "v".repeat(11 * 1024)),
        api.get("/x?k=%FF"),
        api.get("/x").body("no body on GET"),
        api.head("/x").body("nor on HEAD"),
    ];
    for request in bad {
        let err = request.send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    assert_eq!(emu.api().requests_served(), 0);
    assert_eq!(
        emu.cognito().get_id_calls(),
        0,
        "refused before fetching credentials"
    );
}

#[tokio::test]
async fn undecodable_bodies_are_decode_errors_with_a_snippet() {
    let emu = emulator().await;
    let resp = client(&emu)
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap();
    let err = resp.json::<Vec<u32>>().unwrap_err();
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.snippet().starts_with('{'), "{}", e.snippet());
    assert!(err.to_string().contains("JSON"));
}

#[tokio::test]
async fn unknown_endpoints_list_the_known_ones() {
    let emu = emulator().await;
    let err = client(&emu).endpoint("nope").unwrap_err();
    let Error::UnknownEndpoint(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.known(), ["echo"]);
    assert_eq!(
        err.to_string(),
        "no endpoint named `nope`; known endpoints: echo"
    );
    let err = builder(&emu)
        .endpoint_url("typo", "http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::UnknownEndpoint(_)));
}

#[tokio::test]
async fn oversized_responses_are_refused() {
    let emu = emulator().await;
    let client = builder(&emu).max_response_bytes(64).build().unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 64 }),
        "{err:?}"
    );
}

/// Sends `request`, expecting [`Error::InvalidRequest`] whose message contains `says`.
async fn refused(what: &str, request: amplify_api::RequestBuilder, says: &str) {
    let err = send_err(request).await;
    let Error::InvalidRequest(message) = &err else {
        panic!("{what}: {err:?}")
    };
    assert!(message.contains(says), "{what}: {message:?} lacks {says:?}");
    assert!(err.to_string().starts_with("invalid request: "), "{err}");
}

#[tokio::test]
async fn hostile_input_is_refused_before_anything_is_sent() {
    let emu = emulator().await;
    // Retries on and a header provider: nothing must reach the network all the same.
    let api = api_with_retry(&emu, retry_with_base_delay_ms(1));
    let cases: Vec<(&str, amplify_api::RequestBuilder, &str)> = vec![
        // Control characters in `.query(..)` are percent-encoded and sent (tests/tests/wire.rs);
        // written raw in a path string, they are refused.
        (
            "query escape in the path that is not UTF-8",
            api.get("/x?k=%C3"),
            "not UTF-8",
        ),
        (
            "query in the path",
            api.get("/x?k\u{1}=v"),
            "control character",
        ),
        // Header names.
        (
            "header name LF",
            api.get("/x").header("x-a\n", "v"),
            "not a valid header name",
        ),
        (
            "header name CR LF",
            api.get("/x").header("x-a\r\nx-b", "v"),
            "not a valid header name",
        ),
        (
            "header name NUL",
            api.get("/x").header("x\0a", "v"),
            "not a valid header name",
        ),
        (
            "header name tab",
            api.get("/x").header("x\ta", "v"),
            "not a valid header name",
        ),
        (
            "header name colon",
            api.get("/x").header("x-a: 1", "v"),
            "not a valid header name",
        ),
        (
            "empty header name",
            api.get("/x").header("", "v"),
            "not a valid header name",
        ),
        // Header values.
        (
            "header value LF",
            api.get("/x").header("x-a", "v\nx-b: 1"),
            "the character '\\n'",
        ),
        (
            "header value CR",
            api.get("/x").header("x-a", "v\rw"),
            "the character '\\r'",
        ),
        (
            "header value NUL",
            api.get("/x").header("x-a", "v\0"),
            "the character '\\0'",
        ),
        (
            "header value BEL",
            api.get("/x").header("x-a", "\u{7}"),
            "the character '\\u{7}'",
        ),
        (
            "header value DEL",
            api.get("/x").header("x-a", "\u{7f}"),
            "the character '\\u{7f}'",
        ),
        (
            "header value non-ASCII",
            api.get("/x").header("x-a", "ü"),
            "visible ASCII",
        ),
        // Paths.
        ("path LF", api.get("/a\nb"), "control character '\\n'"),
        ("path CR", api.get("/a\rb"), "control character '\\r'"),
        ("path NUL", api.get("/a\0"), "control character '\\0'"),
        ("path tab", api.get("/a\tb"), "control character '\\t'"),
        ("path ESC", api.delete("/\u{1b}[2J"), "control character"),
        (
            "full URL",
            api.get("https://evil.example/x"),
            "looks like a full URL",
        ),
        (
            "plain-http URL",
            api.put("http://127.0.0.1:1/x").text("b"),
            "looks like a full URL",
        ),
        (
            "scheme-relative URL",
            api.get("//evil.example/x"),
            "looks like a full URL",
        ),
        ("fragment", api.get("/a#frag"), "contains `#`"),
        (
            "fragment after a query",
            api.get("/a?b=c#d"),
            "contains `#`",
        ),
        // Size: one big header, and many small ones that add up.
        (
            "oversized header",
            api.get("/x").header("x-big", "v".repeat(10 * 1024)),
            "10240",
        ),
        (
            "headers adding up",
            (0..40).fold(api.get("/x"), |r, i| {
                r.header(format!("x-h{i}"), "v".repeat(300))
            }),
            "10240",
        ),
    ];
    let count = cases.len();
    for (what, request, says) in cases {
        refused(what, request, says).await;
    }
    assert!(count >= 25);
    assert_eq!(emu.api().requests_served(), 0, "nothing reached the API");
    assert_no_cognito_calls(&emu, "nor Cognito");
    // The same client sends a clean request (so the zero above is not a dead emulator).
    api.get("/x").query("k", "v").send().await.unwrap();
    assert_eq!(emu.api().requests_served(), 1);
}

#[tokio::test]
async fn a_header_provider_with_hostile_headers_is_refused_before_sending() {
    let emu = emulator().await;
    for (name, value) in [
        ("x-a\r\nx-b", "v"),
        ("x-a", "v\r\nx-b: 1"),
        ("host", "evil"),
    ] {
        let client = builder(&emu)
            .header_provider(move |_: &str| async move {
                Ok::<_, amplify_api::BoxError>(vec![(name.to_string(), value.to_string())])
            })
            .build()
            .unwrap();
        let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
        assert!(matches!(err, Error::InvalidRequest(_)), "{name:?}: {err:?}");
    }
    assert_eq!(emu.api().requests_served(), 0);
}

/// A Cognito Identity that answers `GetId` with `get_id` and every other call with
/// `get_credentials` (whole HTTP responses).
fn fake_cognito(get_id: String, get_credentials: String) -> RawServer {
    RawServer::start(move |_, request| {
        let is_get_id = request
            .to_lowercase()
            .contains("x-amz-target: awscognitoidentityservice.getid\r\n");
        Answer::Send(if is_get_id {
            get_id.clone()
        } else {
            get_credentials.clone()
        })
    })
}

fn cognito_ok(body: &str) -> String {
    http_response(
        "200 OK",
        &[("content-type", "application/x-amz-json-1.1")],
        body,
    )
}

#[tokio::test]
async fn garbage_from_cognito_is_a_credentials_error() {
    const ID: &str = r#"{"IdentityId":"us-east-1:11111111-2222-3333-4444-555555555555"}"#;
    let creds = |fields: &str| {
        format!(
            r#"{{"IdentityId":"us-east-1:11111111-2222-3333-4444-555555555555","Credentials":{{{fields}}}}}"#
        )
    };
    let good = r#""AccessKeyId":"ASIAX","SecretKey":"s","SessionToken":"t""#;
    // (case, GetId answer, GetCredentialsForIdentity answer, message fragments, calls served)
    let cases: Vec<(&str, String, String, Vec<&str>, usize)> = vec![
        (
            "GetId: HTML",
            cognito_ok("<html><body>Gateway</body></html>"),
            cognito_ok("{}"),
            vec![
                "Cognito GetId answered with an unexpected body",
                "expected value",
            ],
            1,
        ),
        (
            "GetId: empty",
            cognito_ok(""),
            cognito_ok("{}"),
            vec!["Cognito GetId answered with an unexpected body", "EOF"],
            1,
        ),
        (
            "GetId: truncated",
            cognito_ok(r#"{"IdentityId":"us-ea"#),
            cognito_ok("{}"),
            vec!["GetId", "EOF"],
            1,
        ),
        (
            "GetId: no IdentityId",
            cognito_ok("{}"),
            cognito_ok("{}"),
            vec!["GetId", "missing field `IdentityId`"],
            1,
        ),
        (
            "GetId: IdentityId a number",
            cognito_ok(r#"{"IdentityId":5}"#),
            cognito_ok("{}"),
            vec!["GetId", "invalid type: integer `5`, expected a string"],
            1,
        ),
        (
            "no Credentials",
            cognito_ok(ID),
            cognito_ok(ID),
            vec![
                "Cognito GetCredentialsForIdentity answered with an unexpected body",
                "missing field `Credentials`",
            ],
            2,
        ),
        (
            "no SecretKey",
            cognito_ok(ID),
            cognito_ok(&creds(r#""AccessKeyId":"ASIAX","SessionToken":"t""#)),
            vec!["GetCredentialsForIdentity", "missing field `SecretKey`"],
            2,
        ),
        (
            "Credentials not an object",
            cognito_ok(ID),
            cognito_ok(r#"{"IdentityId":"x","Credentials":"nope"}"#),
            vec!["GetCredentialsForIdentity", "invalid type"],
            2,
        ),
        (
            "Expiration far in the future",
            cognito_ok(ID),
            cognito_ok(&creds(&format!(r#"{good},"Expiration":1e13"#))),
            vec!["invalid Expiration"],
            2,
        ),
        (
            "Expiration negative",
            cognito_ok(ID),
            cognito_ok(&creds(&format!(r#"{good},"Expiration":-1"#))),
            vec!["invalid Expiration"],
            2,
        ),
        (
            "Expiration a string",
            cognito_ok(ID),
            cognito_ok(&creds(&format!(r#"{good},"Expiration":"tomorrow""#))),
            vec!["GetCredentialsForIdentity", "expected f64"],
            2,
        ),
        (
            "GetId: 400 with an HTML body",
            http_response("400 Bad Request", &[], "<html>no</html>"),
            cognito_ok("{}"),
            vec!["Cognito GetId answered 400 Bad Request"],
            1,
        ),
        (
            // 5xx is retried (3 attempts), then reported with the status.
            "GetId: 502 with an HTML body",
            http_response("502 Bad Gateway", &[], "<html>bad gateway</html>"),
            cognito_ok("{}"),
            vec!["Cognito GetId answered 502 Bad Gateway"],
            3,
        ),
    ];
    let emu = emulator().await;
    for (case, get_id, get_credentials, says, calls) in cases {
        let cognito = fake_cognito(get_id, get_credentials);
        let client = Client::builder()
            .endpoint(Endpoint::new(ECHO, emu.api_url()).region("us-east-1"))
            .identity_pool("us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
            .cognito_endpoint(cognito.url())
            .read_env(false)
            .build()
            .unwrap();
        let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
        let Error::Credentials(e) = &err else {
            panic!("{case}: {err:?}")
        };
        assert_eq!(e.name(), None, "{case}");
        for fragment in says {
            assert!(
                e.message().contains(fragment),
                "{case}: {:?} lacks {fragment:?}",
                e.message()
            );
        }
        assert!(
            err.to_string()
                .starts_with("could not get AWS credentials: "),
            "{case}: {err}"
        );
        assert_eq!(cognito.requests().len(), calls, "{case}");
    }
    assert_eq!(emu.api().requests_served(), 0, "nothing was sent unsigned");
}

/// Sends a GET with `credentials` to the emulator's IAM-checked API and returns the error.
async fn refused_by_emulator(emu: &Emulator, credentials: Credentials) -> Error {
    let client = signing_builder(&emu.api_url(), credentials)
        .retry(retry_with_base_delay_ms(1))
        .build()
        .unwrap();
    send_err(client.endpoint(ECHO).unwrap().get("/x")).await
}

/// `err` is a 403 with this API Gateway error type (in `x-amzn-ErrorType`) and message, and was
/// not retried.
fn assert_gateway_403(case: &str, err: &Error, error_type: &str, message: &str) {
    assert_gateway_403_after(case, err, error_type, message, 1);
}

/// [`assert_gateway_403`] after `attempts` attempts.
fn assert_gateway_403_after(
    case: &str,
    err: &Error,
    error_type: &str,
    message: &str,
    attempts: u32,
) {
    let Error::Status(e) = err else {
        panic!("{case}: {err:?}")
    };
    assert_eq!(e.status(), 403, "{case}");
    assert_eq!(e.name(), Some(error_type), "{case}");
    assert_eq!(
        e.response().header("x-amzn-errortype"),
        Some(error_type),
        "{case}"
    );
    assert_eq!(e.message(), Some(message), "{case}");
    assert_eq!(e.attempts(), attempts, "{case}: a 403 is final");
    assert!(e.request_id().is_some(), "{case}");
}

#[tokio::test]
async fn the_emulator_refuses_unknown_keys_and_wrong_session_tokens() {
    let emu = emulator().await;
    emu.allow_credentials("AKIDWITHTOKEN", "secret-1", Some("the-token".into()));
    emu.allow_credentials("AKIDNOTOKEN", "secret-2", None);
    let creds = fixed_credentials;
    let cases = [
        ("unknown key", creds("AKIDUNKNOWN", "secret-1", None)),
        (
            "another session token",
            creds("AKIDWITHTOKEN", "secret-1", Some("other-token")),
        ),
        ("no session token", creds("AKIDWITHTOKEN", "secret-1", None)),
        (
            "a token for a key without one",
            creds("AKIDNOTOKEN", "secret-2", Some("the-token")),
        ),
    ];
    let count = cases.len() as u64;
    for (case, credentials) in cases {
        let err = refused_by_emulator(&emu, credentials).await;
        assert_gateway_403(
            case,
            &err,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        );
    }
    assert_eq!(emu.api().requests_served(), count, "one request each");
    // The controls: the same keys, with the right tokens, are accepted.
    for credentials in [
        creds("AKIDWITHTOKEN", "secret-1", Some("the-token")),
        creds("AKIDNOTOKEN", "secret-2", None),
    ] {
        let client = signing_builder(&emu.api_url(), credentials)
            .build()
            .unwrap();
        let resp = client.endpoint(ECHO).unwrap().get("/x").send().await;
        assert_eq!(resp.unwrap().status(), 200);
    }
}

#[tokio::test]
async fn credentials_kept_past_their_expiry_are_refused_as_expired() {
    let emu = emulator().await;
    emu.cognito()
        .set_credentials_lifetime(Duration::from_millis(1500));
    let minted = CognitoIdentityProvider::builder(emu.identity_pool_id())
        .endpoint(emu.cognito_url())
        .build()
        .unwrap()
        .fetch()
        .await
        .unwrap();
    let expiry = minted.expiry().expect("Cognito gives an expiry");
    // A provider that forgets the expiry: the client never refreshes them.
    let stale = Credentials::new(
        minted.access_key_id(),
        minted.secret_access_key(),
        minted.session_token().map(str::to_owned),
        None,
        "stale",
    );
    let client = signing_builder(&emu.api_url(), stale.clone())
        .build()
        .unwrap();
    // Accepted while they last: the refusal below is about time alone.
    let resp = client.endpoint(ECHO).unwrap().get("/x").send().await;
    assert_eq!(resp.unwrap().status(), 200);
    let wait = expiry
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(100)).await;
    let err = refused_by_emulator(&emu, stale).await;
    // Re-signed once with credentials fetched again (the same stale ones), then final.
    assert_gateway_403_after(
        "expired",
        &err,
        "ExpiredTokenException",
        "The security token included in the request is expired",
        2,
    );
}

#[tokio::test]
async fn unsigned_requests_to_an_iam_route_are_refused() {
    let emu = emulator().await;
    let client = Client::builder()
        .endpoint(
            Endpoint::new(ECHO, emu.api_url())
                .region("us-east-1")
                .auth_mode(amplify_api::AuthMode::None),
        )
        .read_env(false)
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let err = api.get("/x").send().await.unwrap_err();
    assert_gateway_403(
        "no signature",
        &err,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    );
    // A caller's own Authorization header is sent as it is, and is no signature.
    let err = send_err(api.get("/x").header("authorization", "Bearer abc")).await;
    let Error::Status(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.status().as_u16(), e.name()),
        (403, Some("IncompleteSignatureException"))
    );
    assert_eq!(emu.api().requests_served(), 2);
}

/// `Error::InvalidRequest` and `Error::Config` say what was wrong as a kind a caller can match,
/// besides their message.
#[tokio::test]
async fn invalid_requests_and_configs_carry_a_kind() {
    use amplify_api::{ConfigKind, InvalidRequestKind as Kind};
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let cases = [
        (Kind::Path, api.get("/a/../b?code=1")),
        (Kind::Path, api.get("https://elsewhere.example/x")),
        (
            Kind::ReservedHeader,
            api.get("/x").header("x-amz-date", "1"),
        ),
        (
            Kind::HopByHopHeader,
            api.get("/x").header("Connection", "close"),
        ),
        (Kind::HopByHopHeader, api.get("/x").header("te", "trailers")),
        (
            Kind::InvalidHeader,
            api.get("/x").header("x-bad", "caf\u{e9}"),
        ),
        (
            Kind::HeaderTooLarge,
            api.get("/x").header("x-big", "a".repeat(11 * 1024)),
        ),
        (Kind::BodyOnGet, api.get("/x").text("body")),
        (Kind::Scope, api.get("/x").region("not a region")),
    ];
    for (kind, request) in cases {
        let err = request.send().await.unwrap_err();
        assert_eq!(err.invalid_request_kind(), Some(kind), "{err}");
        let Error::InvalidRequest(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), kind);
        assert!(!e.message().is_empty());
        assert_eq!(err.config_kind(), None);
    }
    assert_eq!(emu.api().requests_served(), 0, "nothing was sent");

    let err = Client::builder()
        .endpoint(Endpoint::new("bad", "not a url"))
        .read_env(false)
        .build()
        .unwrap_err();
    assert_eq!(err.config_kind(), Some(ConfigKind::EndpointUrl), "{err}");
    let err = Client::builder()
        .endpoint(Endpoint::new("iam", emu.api_url()).region("us-east-1"))
        .read_env(false)
        .build()
        .unwrap_err();
    assert_eq!(err.config_kind(), Some(ConfigKind::Credentials), "{err}");
    let err = Client::from_config_str("{ not json").unwrap_err();
    assert_eq!(err.config_kind(), Some(ConfigKind::ConfigFile), "{err}");
    let err = amplify_api::SigV4::new(fixed_credentials("a", "b", None), "nowhere", "execute-api")
        .unwrap_err();
    assert_eq!(err.config_kind(), Some(ConfigKind::Scope), "{err}");
    assert_eq!(err.invalid_request_kind(), None);
}
