//! Auth modes per endpoint, token and header providers, URL overrides and authenticated
//! identities, each checked by the emulator.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use amplify_api::{AuthMode, BoxError, Client, Endpoint, Error, user_pool_login_key};
use amplify_api_emulator::{Echo, Emulator};
use common::{
    ECHO, assert_no_cognito_calls, builder, emulator, run_child_test, send_echo, send_err,
};

/// A client whose one endpoint, `keyed`, is at `emu` with auth mode `API_KEY` and `key`.
fn keyed_client(emu: &Emulator, key: &str) -> Client {
    keyed_builder(emu, key).build().unwrap()
}

/// [`keyed_client`]'s builder.
fn keyed_builder(emu: &Emulator, key: &str) -> amplify_api::ClientBuilder {
    Client::builder()
        .endpoint(
            Endpoint::new("keyed", emu.api_url())
                .auth_mode(AuthMode::ApiKey)
                .api_key(key),
        )
        .read_env(false)
}

/// `err` is an [`Error::Config`] whose text contains each of `says`, and `emu` served nothing.
fn assert_config_error_sent_nothing(emu: &Emulator, err: &Error, says: &[&str]) {
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_eq!(emu.api().requests_served(), 0);
    let text = err.to_string();
    for fragment in says {
        assert!(text.contains(fragment), "{text} lacks {fragment:?}");
    }
}

/// The value of header `name` in `echo`, if it arrived.
fn header<'a>(echo: &'a Echo, name: &str) -> Option<&'a str> {
    echo.headers.get(name).map(String::as_str)
}

#[tokio::test]
async fn api_key_endpoints_send_x_api_key_and_no_signature() {
    let emu = emulator().await;
    emu.api().require_api_key("da2-right-key");
    let client = keyed_client(&emu, "da2-right-key");
    let echo: Echo = send_echo(client.endpoint("keyed").unwrap().get("/k")).await;
    assert_eq!(header(&echo, "x-api-key"), Some("da2-right-key"));
    assert!(!echo.headers.contains_key("authorization"));
    assert_eq!(
        emu.cognito().get_id_calls(),
        0,
        "no Cognito call for API_KEY"
    );
    // The wrong key is refused by the emulator, so the header is really checked.
    let wrong = keyed_client(&emu, "da2-wrong");
    let err = send_err(wrong.endpoint("keyed").unwrap().get("/k")).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    // The builder can set or replace the key.
    let replaced = keyed_builder(&emu, "da2-wrong")
        .endpoint_api_key("keyed", "da2-right-key")
        .build()
        .unwrap();
    assert_eq!(
        replaced
            .endpoint("keyed")
            .unwrap()
            .get("/k")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn token_modes_send_the_providers_token_and_refresh_it() {
    let emu = emulator().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = Client::builder()
        .endpoint(Endpoint::new("pool", emu.api_url()).auth_mode(AuthMode::AmazonCognitoUserPools))
        .endpoint(Endpoint::new("oidc", emu.api_url()).auth_mode(AuthMode::OpenIdConnect))
        .endpoint(Endpoint::new("lambda", emu.api_url()).auth_mode(AuthMode::AwsLambda))
        .token_provider(move |endpoint: &str| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let token = format!("token-{n}-{endpoint}");
            async move { Ok::<_, BoxError>(token) }
        })
        .read_env(false)
        .build()
        .unwrap();
    for (i, name) in ["pool", "oidc", "lambda"].into_iter().enumerate() {
        emu.api().require_bearer(&format!("token-{i}-{name}"));
        let echo: Echo = send_echo(client.endpoint(name).unwrap().get("/t")).await;
        assert_eq!(echo.headers["authorization"], format!("token-{i}-{name}"));
    }
    // A fresh token per request: the provider refreshes, the client never caches a token.
    emu.api().require_bearer("token-3-pool");
    client
        .endpoint("pool")
        .unwrap()
        .get("/t")
        .send()
        .await
        .unwrap();
    emu.api().require_bearer("stale");
    let err = send_err(client.endpoint("pool").unwrap().get("/t")).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(emu.cognito().get_id_calls(), 0);
}

#[tokio::test]
async fn a_missing_api_key_names_the_endpoint_and_sends_nothing() {
    let emu = emulator().await;
    emu.api().require_api_key("da2-right-key");
    let client = Client::builder()
        .endpoint(Endpoint::new("keyed", emu.api_url()).auth_mode(AuthMode::ApiKey))
        .read_env(false)
        .build()
        .unwrap();
    let keyed = client.endpoint("keyed").unwrap();
    let err = send_err(keyed.get("/x")).await;
    assert_config_error_sent_nothing(&emu, &err, &["`keyed`", "endpoint_api_key"]);
    // A key the caller sends itself is enough.
    let echo: Echo = send_echo(keyed.get("/x").header("x-api-key", "da2-right-key")).await;
    assert_eq!(header(&echo, "x-api-key"), Some("da2-right-key"));
}

#[tokio::test]
async fn a_missing_token_provider_names_the_endpoint() {
    let emu = emulator().await;
    // The client builds (the app may never call that endpoint); a request to it is refused.
    let client = Client::builder()
        .endpoint(
            Endpoint::new("secured", emu.api_url()).auth_mode(AuthMode::AmazonCognitoUserPools),
        )
        .read_env(false)
        .build()
        .unwrap();
    let err = send_err(client.endpoint("secured").unwrap().get("/x")).await;
    assert_config_error_sent_nothing(&emu, &err, &["`secured`", "token provider"]);
}

#[tokio::test]
async fn a_failing_token_provider_is_a_credentials_error() {
    let emu = emulator().await;
    let client = Client::builder()
        .endpoint(Endpoint::new("pool", emu.api_url()).auth_mode(AuthMode::AmazonCognitoUserPools))
        .token_provider(|_: &str| async { Err::<String, BoxError>("signed out".into()) })
        .read_env(false)
        .build()
        .unwrap();
    let err = send_err(client.endpoint("pool").unwrap().get("/t")).await;
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("signed out"));
    assert_eq!(emu.api().requests_served(), 0);
}

#[tokio::test]
async fn none_mode_sends_nothing_and_never_calls_cognito() {
    let emu = emulator().await;
    emu.api().require_no_auth();
    let client = builder(&emu)
        .endpoint_auth_mode(ECHO, AuthMode::None)
        .build()
        .unwrap();
    let echo: Echo = send_echo(client.endpoint(ECHO).unwrap().get("/open")).await;
    assert!(!echo.headers.contains_key("authorization"));
    assert!(!echo.headers.contains_key("x-amz-security-token"));
    assert_no_cognito_calls(&emu, "AuthMode::None needs no credentials");
}

#[tokio::test]
async fn a_callers_authorization_header_means_unsigned() {
    let emu = emulator().await;
    emu.api().require_bearer("Bearer mine");
    let client = common::client(&emu);
    let api = client.endpoint(ECHO).unwrap();
    let echo: Echo = send_echo(api.get("/mine").header("Authorization", "Bearer mine")).await;
    assert_eq!(echo.headers["authorization"], "Bearer mine");
    assert!(!echo.headers.contains_key("x-amz-date"));
    assert_eq!(emu.cognito().get_id_calls(), 0);
}

#[tokio::test]
async fn header_providers_layer_client_then_endpoint_then_call_and_are_signed() {
    let emu = emulator().await;
    let client = builder(&emu)
        .header_provider(|_: &str| async {
            Ok::<_, BoxError>(vec![
                ("x-layer".into(), "client".into()),
                ("x-client-only".into(), "c".into()),
                ("x-call".into(), "client".into()),
            ])
        })
        .endpoint_header_provider(ECHO, |endpoint: &str| {
            let endpoint = endpoint.to_owned();
            async move {
                Ok::<_, BoxError>(vec![
                    ("x-layer".into(), format!("endpoint {endpoint}")),
                    ("x-call".into(), "endpoint".into()),
                ])
            }
        })
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let echo: Echo = send_echo(api.get("/h").header("x-call", "call")).await;
    assert_eq!(echo.headers["x-layer"], "endpoint echo");
    assert_eq!(echo.headers["x-client-only"], "c");
    assert_eq!(echo.headers["x-call"], "call");
    for h in ["x-layer", "x-client-only", "x-call"] {
        assert!(echo.signed_headers.iter().any(|s| s == h), "{h} signed");
    }
}

#[tokio::test]
async fn the_builder_overrides_an_endpoints_url_region_and_service() {
    let emu = emulator().await;
    let client = Client::builder()
        .endpoint(Endpoint::new(
            ECHO,
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod",
        ))
        .endpoint_url(ECHO, emu.api_url())
        .endpoint_region(ECHO, "ap-south-1")
        .endpoint_service(ECHO, "lambda")
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .read_env(false)
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    assert_eq!((api.region(), api.service()), ("ap-south-1", "lambda"));
    let echo: Echo = send_echo(api.get("/o")).await;
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        ("ap-south-1", "lambda")
    );
}

/// Runs in a child process (see below), where the environment variable is set.
#[tokio::test]
#[ignore = "run by env_var_overrides_the_url, in a child process with the variable set"]
async fn child_with_env_override() {
    let Ok(expected) = std::env::var("AMPLIFY_API_MY_API_URL") else {
        return;
    };
    let client = Client::builder()
        .endpoint(Endpoint::new("my-api", "https://wrong.example.com/prod").region("us-east-1"))
        .endpoint_auth_mode("my-api", AuthMode::None)
        .build()
        .unwrap();
    let api = client.endpoint("my-api").unwrap();
    assert_eq!(api.url(), expected.trim_end_matches('/'));
    let echo: Echo = send_echo(api.get("/env")).await;
    assert_eq!(echo.path, "/env");
    common::child_done("sent to the URL the variable gives");
}

#[tokio::test]
async fn env_var_overrides_the_url() {
    let emu = emulator().await;
    // The child's endpoint sends no auth at all (AuthMode::None), so the route must ask for none.
    emu.api().require_no_auth();
    assert_eq!(
        amplify_api::endpoint_url_env_var("my-api"),
        "AMPLIFY_API_MY_API_URL"
    );
    // Environment variables are process-wide: set it only in a child running one test.
    run_child_test(
        "child_with_env_override",
        &[("AMPLIFY_API_MY_API_URL", emu.api_url().as_str())],
        &[],
    );
    assert_eq!(
        emu.api().requests_served(),
        1,
        "the child reached the emulator"
    );
}

#[tokio::test]
async fn authenticated_identities_send_logins_and_switch_cleanly() {
    let emu = emulator().await;
    let signed_in = Arc::new(AtomicBool::new(false));
    let flag = signed_in.clone();
    let key = user_pool_login_key("us-east-1_AbCdEf");
    assert_eq!(key, "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf");
    let login_key = key.clone();
    let client = builder(&emu)
        .logins_provider(move || {
            let logins = flag
                .load(Ordering::SeqCst)
                .then(|| BTreeMap::from([(login_key.clone(), "id-token-1".to_string())]));
            async move { Ok::<_, BoxError>(logins) }
        })
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let guest: Echo = api.get("/g").send().await.unwrap().json().unwrap();
    assert!(
        emu.cognito().last_logins().unwrap_or_default().is_empty(),
        "guest: no Logins"
    );

    signed_in.store(true, Ordering::SeqCst);
    let user: Echo = api.get("/u").send().await.unwrap().json().unwrap();
    assert_ne!(
        user.access_key_id, guest.access_key_id,
        "signing in dropped the guest credentials"
    );
    let logins = emu.cognito().last_logins().expect("Logins sent");
    assert_eq!(logins.get(&key).map(String::as_str), Some("id-token-1"));
    assert_eq!(
        emu.cognito().get_id_calls(),
        1,
        "the guest identity id was offered with the Logins (Cognito links it), no new GetId"
    );
    let again: Echo = api.get("/u").send().await.unwrap().json().unwrap();
    assert_eq!(
        again.access_key_id, user.access_key_id,
        "authenticated credentials cached"
    );

    signed_in.store(false, Ordering::SeqCst);
    let guest_again: Echo = api.get("/g").send().await.unwrap().json().unwrap();
    assert_ne!(
        guest_again.access_key_id, user.access_key_id,
        "signing out dropped them"
    );
    assert_eq!(
        emu.cognito().get_id_calls(),
        2,
        "the guest identity now belongs to the user: a new guest gets a new one"
    );
}
