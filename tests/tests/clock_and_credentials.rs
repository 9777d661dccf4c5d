//! The signing clock and the credentials it judges (issue 9, section 4), over real sockets:
//! what moves the clock, what is re-sent for it, expiry on the corrected clock, expired tokens
//! replaced, and credentials kept through a failed refresh.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use amplify_api::credentials::CognitoIdentityProvider;
use amplify_api::{AuthMode, Client, Endpoint, Error, RetryPolicy};
use amplify_api_emulator::{Auth, CognitoFault, Echo};
use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials};
use common::{
    Answer, Captured, ECHO, RawServer, builder, emulator, http_response, send_echo, send_err,
    signing_builder, static_builder,
};

const SKEW_SECS: i64 = 20 * 60;

/// The offset the client learned, in whole seconds.
fn offset_secs(client: &Client) -> i64 {
    client.clock_offset_ms() / 1000
}

#[tokio::test]
async fn the_clock_is_learned_only_from_answers_to_signed_requests() {
    let emu = emulator().await;
    emu.api().set_date_skew(SKEW_SECS);
    emu.api().require_for("/open", Auth::None);
    emu.api()
        .require_for("/keyed", Auth::ApiKey("key-1".into()));
    let url = emu.api_url();
    let client = builder(&emu)
        .endpoint(Endpoint::new("open", &url).auth_mode(AuthMode::None))
        .endpoint(Endpoint::new("keyed", &url).auth_mode(AuthMode::ApiKey))
        .endpoint_api_key("keyed", "key-1")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    send_echo(client.endpoint("open").unwrap().get("/open/x")).await;
    send_echo(client.endpoint("keyed").unwrap().get("/keyed/x")).await;
    // An IAM endpoint, but the caller's own `Authorization`: not signed by us either.
    send_echo(
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/open/own-auth")
            .header("authorization", "Bearer mine"),
    )
    .await;
    assert_eq!(
        client.clock_offset_ms(),
        0,
        "answers to unsigned requests leave the signing clock alone"
    );
    assert_eq!(emu.api().requests_served(), 3);
    // The control: a signed request to the same server learns its 20 minutes (so the check
    // above could fail).
    send_echo(client.endpoint(ECHO).unwrap().get("/signed")).await;
    assert!((offset_secs(&client) - SKEW_SECS).abs() <= 5);
}

/// `Date` for a server whose clock is an hour ahead.
fn skewed_date() -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600))
}

/// A server answering every request with `status` and error `name` (`message` in the body),
/// its `Date` an hour ahead when `skewed`.
fn refusing(status: &str, name: &str, message: &str, skewed: bool) -> RawServer {
    let date = if skewed {
        skewed_date()
    } else {
        httpdate::fmt_http_date(SystemTime::now())
    };
    RawServer::always(http_response(
        status,
        &[("x-amzn-errortype", name), ("date", &date)],
        &serde_json::json!({ "message": message }).to_string(),
    ))
}

#[tokio::test]
async fn a_backend_bad_request_with_a_skewed_date_is_not_sent_twice() {
    let server = refusing(
        "400 Bad Request",
        "BadRequestException",
        "Invalid body",
        true,
    );
    let client = static_builder(&server.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().post("/orders").text("x")).await;
    assert_eq!(err.aws_error_name(), Some("BadRequestException"));
    assert_eq!(
        server.requests().len(),
        1,
        "a POST the backend answered reaches it once"
    );
    // The signed answer still taught the clock (its Date is the service's time).
    assert!((offset_secs(&client) - 3600).abs() <= 5);
}

#[tokio::test]
async fn only_signature_time_rejections_are_re_sent_with_the_corrected_clock() {
    // (status, name, message, skewed Date, requests the server sees)
    let cases = [
        (
            "403 Forbidden",
            "InvalidSignatureException",
            "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z",
            true,
            2,
        ),
        (
            "403 Forbidden",
            "InvalidSignatureException",
            "Signature not yet current: 20260101T002000Z is still later than 20260101T001500Z",
            true,
            2,
        ),
        (
            "403 Forbidden",
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            true,
            2,
        ),
        (
            "403 Forbidden",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match",
            true,
            2,
        ),
        // Not about time: a wrong key, a wrong signature, the backend's own refusal.
        (
            "403 Forbidden",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match",
            false,
            1,
        ),
        (
            "403 Forbidden",
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided.",
            true,
            1,
        ),
        ("403 Forbidden", "AccessDeniedException", "no", true, 1),
        ("400 Bad Request", "BadRequestException", "no", true, 1),
    ];
    for (status, name, message, skewed, expected) in cases {
        let server = refusing(status, name, message, skewed);
        let client = static_builder(&server.url())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let err = send_err(client.endpoint(ECHO).unwrap().post("/x").text("x")).await;
        assert_eq!(err.aws_error_name(), Some(name), "{name} {message}");
        assert_eq!(
            server.requests().len(),
            expected,
            "{name} {message} (skewed {skewed})"
        );
    }
}

#[tokio::test]
async fn a_local_clock_an_hour_ahead_does_not_refetch_credentials_on_every_request() {
    let emu = emulator().await;
    // The world an hour behind this machine.
    emu.set_clock_skew(-3600);
    let client = builder(&emu).retry(RetryPolicy::none()).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let mut keys = Vec::new();
    for i in 0..5 {
        let echo: Echo = send_echo(api.get(format!("/ahead/{i}"))).await;
        keys.push(echo.access_key_id);
    }
    assert!((offset_secs(&client) + 3600).abs() <= 5);
    assert!(keys.windows(2).all(|w| w[0] == w[1]), "{keys:?}");
    assert_eq!(
        emu.cognito().get_credentials_calls(),
        1,
        "one-hour credentials fetched once, not per request"
    );
    // The first request was refused for its time and re-sent; the others went once.
    assert_eq!(emu.api().requests_served(), 6);
}

#[tokio::test]
async fn a_local_clock_an_hour_behind_does_not_sign_with_expired_credentials() {
    let emu = emulator().await;
    // The world an hour ahead of this machine; credentials that live 2 s by the world's clock.
    emu.set_clock_skew(3600);
    emu.cognito()
        .set_credentials_lifetime(Duration::from_secs(2));
    let client = builder(&emu).retry(RetryPolicy::none()).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let first: Echo = send_echo(api.get("/behind")).await;
    assert!((offset_secs(&client) - 3600).abs() <= 5);
    let served = emu.api().requests_served();
    // Past their expiry by the world's clock (by the local one they have an hour left).
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let second: Echo = send_echo(api.get("/behind")).await;
    assert_ne!(first.access_key_id, second.access_key_id, "refreshed");
    assert_eq!(
        emu.api().requests_served(),
        served + 1,
        "refreshed before signing: the API never saw the expired token"
    );
    assert_eq!(emu.cognito().get_credentials_calls(), 2);
}

/// Cognito's credentials with their expiry dropped, so the client's cache never refreshes them
/// by itself; counts its fetches.
#[derive(Debug)]
struct Forgetful {
    cognito: CognitoIdentityProvider,
    fetches: AtomicUsize,
}

impl ProvideCredentials for Forgetful {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            let c = self
                .cognito
                .fetch()
                .await
                .map_err(provider::error::CredentialsError::provider_error)?;
            Ok(Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token().map(str::to_owned),
                None,
                "forgetful",
            ))
        })
    }
}

#[tokio::test]
async fn an_expired_token_drops_the_credentials_and_the_request_is_re_signed_once() {
    let emu = emulator().await;
    emu.cognito()
        .set_credentials_lifetime(Duration::from_millis(1500));
    let forgetful = Arc::new(Forgetful {
        cognito: CognitoIdentityProvider::builder(emu.identity_pool_id())
            .endpoint(emu.cognito_url())
            .build()
            .unwrap(),
        fetches: AtomicUsize::new(0),
    });
    let client = signing_builder(&emu.api_url(), SharedProvider(forgetful.clone()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let first: Echo = send_echo(api.get("/x")).await;
    tokio::time::sleep(Duration::from_millis(1800)).await;
    // A POST with retries off: the re-sign is no retry (the API refused it unprocessed).
    let second: Echo = send_echo(api.post("/x").text("body")).await;
    assert_ne!(first.access_key_id, second.access_key_id);
    assert_eq!(second.body, "body");
    assert_eq!(forgetful.fetches.load(Ordering::SeqCst), 2);
    assert_eq!(
        emu.api().requests_served(),
        3,
        "refused once as expired, then accepted"
    );
}

/// A shared [`ProvideCredentials`], so the test keeps a handle on it.
#[derive(Debug)]
struct SharedProvider<P>(Arc<P>);

impl<P: ProvideCredentials> ProvideCredentials for SharedProvider<P> {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.provide_credentials()
    }
}

/// Hands out `AKIDn` for the n-th fetch, without expiry; counts fetches.
#[derive(Debug, Default)]
struct Numbered(AtomicUsize);

impl ProvideCredentials for Numbered {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        provider::future::ProvideCredentials::ready(Ok(Credentials::new(
            format!("AKID{n}"),
            "numbered-secret",
            Some("numbered-session-token".into()),
            None,
            "numbered",
        )))
    }
}

#[tokio::test]
async fn expired_token_by_either_name_is_re_signed_once_with_fresh_credentials() {
    for name in ["ExpiredToken", "ExpiredTokenException"] {
        let server = RawServer::start(move |n, _| {
            Answer::Send(if n == 0 {
                http_response(
                    "403 Forbidden",
                    &[("content-type", "application/json")],
                    &format!(
                        r#"{{"__type":"{name}","message":"The security token included in the request is expired"}}"#
                    ),
                )
            } else {
                http_response("200 OK", &[], "ok")
            })
        });
        let numbered = Arc::new(Numbered::default());
        let client = signing_builder(&server.url(), SharedProvider(numbered.clone()))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let resp = client
            .endpoint(ECHO)
            .unwrap()
            .patch("/x")
            .text("x")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.text().unwrap(), "ok", "{name}");
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{name}");
        assert!(requests[0].contains("Credential=AKID0/"), "{name}");
        assert!(
            requests[1].contains("Credential=AKID1/"),
            "{name}: re-signed"
        );
        assert_eq!(numbered.0.load(Ordering::SeqCst), 2, "{name}");
    }
    // Refused again with the fresh ones: final, no loop.
    let server = refusing("403 Forbidden", "ExpiredTokenException", "expired", false);
    let client = signing_builder(&server.url(), Numbered::default())
        .build()
        .unwrap();
    let err = send_err(client.endpoint(ECHO).unwrap().get("/x")).await;
    assert_eq!(err.aws_error_name(), Some("ExpiredTokenException"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_serving_credentials_until_they_expire() {
    // Captures this test's warnings (a global no-op registry keeps every callsite enabled
    // whatever other tests on other threads do; see `traced` in resilience.rs).
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    let captured = Captured::default();
    let _logs = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .finish(),
    );
    let emu = emulator().await;
    // Refreshed at half-life (2 s), expired at 4 s.
    emu.cognito()
        .set_credentials_lifetime(Duration::from_secs(4));
    let client = builder(&emu).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let first: Echo = send_echo(api.get("/x")).await;
    let expires_at = std::time::Instant::now() + Duration::from_secs(4);
    tokio::time::sleep(Duration::from_millis(2300)).await;
    emu.cognito().fail_next(10_000, CognitoFault::InternalError);
    let calls = emu.cognito().get_credentials_calls();
    let still: Echo = send_echo(api.get("/x")).await;
    assert_eq!(
        still.access_key_id, first.access_key_id,
        "the refresh failed: the still-valid credentials signed"
    );
    assert!(
        emu.cognito().get_credentials_calls() > calls,
        "a refresh was tried"
    );
    // Right after the failure, the source is not asked again for every request.
    let calls = emu.cognito().get_credentials_calls();
    let again: Echo = send_echo(api.get("/x")).await;
    assert_eq!(again.access_key_id, first.access_key_id);
    assert_eq!(emu.cognito().get_credentials_calls(), calls);
    let logs = captured.text();
    assert!(
        logs.contains("credentials refresh failed") && logs.contains("InternalErrorException"),
        "the failed refresh is logged:\n{logs}"
    );
    for c in emu.accepted_credentials() {
        assert!(!logs.contains(c.secret_access_key()), "{logs}");
        assert!(!logs.contains(c.session_token().unwrap_or("-")), "{logs}");
    }
    // Once they have expired, requests fail with the refresh's error.
    tokio::time::sleep(
        expires_at.saturating_duration_since(std::time::Instant::now())
            + Duration::from_millis(200),
    )
    .await;
    let err = send_err(api.get("/x")).await;
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
}
