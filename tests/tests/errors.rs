//! Every error kind, produced by real exchanges with the emulator (or a closed port).

mod common;

use std::time::Duration;

use amplify_api::test_util::{CognitoFault, Fault};
use amplify_api::{Client, Endpoint, Error, RetryPolicy};
use aws_credential_types::Credentials;
use common::{ECHO, builder, client, emulator};

#[tokio::test]
async fn status_errors_carry_the_response_and_aws_details() {
    let emu = emulator().await;
    // Wrong secret: the verifier rejects the signature as API Gateway does.
    emu.allow_credentials("AKIDTEST", "right-secret", None);
    let client = Client::builder()
        .endpoint(Endpoint::new(ECHO, emu.api_url()).region("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDTEST",
            "wrong-secret",
            None,
            None,
            "test",
        ))
        .build()
        .unwrap();
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
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
    let err = client(&emu)
        .endpoint(ECHO)
        .unwrap()
        .get("/missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn cognito_errors_keep_name_and_message() {
    let emu = emulator().await;
    emu.cognito().fail_next(1, CognitoFault::NotAuthorized);
    let err = client(&emu)
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
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
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
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
    let client = Client::builder()
        .endpoint(Endpoint::new(ECHO, format!("http://127.0.0.1:{port}")).region("us-east-1"))
        .credentials_provider(Credentials::new("A", "S", None, None, "test"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
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
    let client = builder(&emu).retry(RetryPolicy::none()).build().unwrap();
    let started = std::time::Instant::now();
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .get("/slow")
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .unwrap_err();
    let Error::Timeout(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.after(), Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(5));
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
        api.get("/x").query("k", "v\n"),
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
    let err = client
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 64 }),
        "{err:?}"
    );
}
