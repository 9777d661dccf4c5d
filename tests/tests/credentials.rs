//! Credentials: cached, refreshed before expiry, fetched once under concurrency, recovered.

mod common;

use std::time::Duration;

use amplify_api::credentials::{CognitoIdentityProvider, FileIdentityIdStore};
use amplify_api_emulator::{CognitoFault, Echo, Emulator};
use common::{
    ECHO, assert_no_cognito_calls, builder, client, emulator, run_child_test, send_echo, send_err,
    signing_builder,
};

#[tokio::test]
async fn credentials_are_cached_between_requests() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let mut keys = Vec::new();
    for _ in 0..5 {
        let echo: Echo = api.get("/x").send().await.unwrap().json().unwrap();
        keys.push(echo.access_key_id);
    }
    assert!(keys.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(emu.cognito().get_id_calls(), 1);
    assert_eq!(emu.cognito().get_credentials_calls(), 1);
}

#[tokio::test]
async fn short_lived_credentials_are_refreshed_at_half_life() {
    let emu = emulator().await;
    emu.cognito()
        .set_credentials_lifetime(Duration::from_secs(4));
    let api = client(&emu).endpoint(ECHO).unwrap();
    let first: Echo = api.get("/x").send().await.unwrap().json().unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let still: Echo = api.get("/x").send().await.unwrap().json().unwrap();
    assert_eq!(
        first.access_key_id, still.access_key_id,
        "reused before half-life"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let renewed: Echo = api.get("/x").send().await.unwrap().json().unwrap();
    assert_ne!(
        first.access_key_id, renewed.access_key_id,
        "refreshed after half-life, before expiry"
    );
    assert_eq!(emu.cognito().get_credentials_calls(), 2);
    assert_eq!(emu.cognito().get_id_calls(), 1, "identity id kept");
}

#[tokio::test]
async fn two_hundred_concurrent_first_requests_fetch_once() {
    let emu = emulator().await;
    let api = client(&emu).endpoint(ECHO).unwrap();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(200));
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let api = api.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                api.get(format!("/item/{i}"))
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 200);
    }
    assert_eq!(emu.cognito().get_id_calls(), 1);
    assert_eq!(emu.cognito().get_credentials_calls(), 1);
    assert_eq!(emu.api().requests_served(), 200);
}

#[tokio::test]
async fn expiration_with_a_fraction_is_read() {
    let emu = emulator().await;
    let provider = CognitoIdentityProvider::builder(emu.identity_pool_id())
        .endpoint(emu.cognito_url())
        .build()
        .unwrap();
    let creds = provider.fetch().await.unwrap();
    let expiry = creds.expiry().expect("Cognito credentials expire");
    let left = expiry.duration_since(std::time::SystemTime::now()).unwrap();
    assert!(
        left > Duration::from_secs(3000) && left <= Duration::from_secs(3600),
        "{left:?}"
    );
    let nanos = expiry
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    assert_ne!(nanos, 0, "the fraction of the epoch seconds is kept");
    assert!(provider.identity_id().unwrap().starts_with("us-east-1:"));
}

#[tokio::test]
async fn a_forgotten_identity_is_replaced_once() {
    let emu = emulator().await;
    let provider = CognitoIdentityProvider::builder(emu.identity_pool_id())
        .endpoint(emu.cognito_url())
        .build()
        .unwrap();
    provider.fetch().await.unwrap();
    let old_id = provider.identity_id().unwrap();
    emu.cognito().forget_identities();
    provider.fetch().await.unwrap();
    assert_ne!(provider.identity_id().unwrap(), old_id);
    assert_eq!(emu.cognito().get_id_calls(), 2);
    assert_eq!(
        emu.cognito().get_credentials_calls(),
        3,
        "one refused, one retried"
    );
}

#[tokio::test]
async fn cognito_throttling_and_5xx_are_retried() {
    let emu = emulator().await;
    emu.cognito().fail_next(1, CognitoFault::Throttling);
    emu.cognito().fail_next(1, CognitoFault::InternalError);
    let resp = client(&emu)
        .endpoint(ECHO)
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        emu.cognito().get_id_calls() + emu.cognito().get_credentials_calls(),
        4
    );
}

#[tokio::test]
async fn a_file_store_keeps_one_guest_identity_across_runs() {
    let emu = emulator().await;
    let dir = std::env::temp_dir().join(format!("amplify-api-it-{}", std::process::id()));
    let mut ids = Vec::new();
    for _run in 0..3 {
        let client = builder(&emu)
            .identity_id_store(FileIdentityIdStore::new(&dir))
            .build()
            .unwrap();
        client
            .endpoint(ECHO)
            .unwrap()
            .get("/x")
            .send()
            .await
            .unwrap();
        ids.push(
            std::fs::read_to_string(
                FileIdentityIdStore::new(&dir).path_for(emu.identity_pool_id()),
            )
            .unwrap(),
        );
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(emu.cognito().get_id_calls(), 1, "GetId once for three runs");
    assert_eq!(emu.cognito().get_credentials_calls(), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A credentials source written outside the crate: any `ProvideCredentials` works.
#[derive(Debug)]
struct Vault {
    calls: std::sync::atomic::AtomicUsize,
}

impl aws_credential_types::provider::ProvideCredentials for Vault {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(async move {
            let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(aws_credential_types::Credentials::new(
                format!("AKIDVAULT{n}"),
                "vault-secret",
                Some("vault-token".into()),
                Some(std::time::SystemTime::now() + Duration::from_secs(3600)),
                "vault",
            ))
        })
    }
}

#[tokio::test]
async fn any_provide_credentials_implementation_signs() {
    let emu = emulator().await;
    emu.allow_credentials("AKIDVAULT0", "vault-secret", Some("vault-token".into()));
    let vault = Vault {
        calls: Default::default(),
    };
    let client = signing_builder(&emu.api_url(), vault).build().unwrap();
    for _ in 0..3 {
        let echo: Echo = send_echo(client.endpoint(ECHO).unwrap().get("/v")).await;
        assert_eq!(
            echo.access_key_id, "AKIDVAULT0",
            "cached: the vault was asked once"
        );
    }
    assert_eq!(emu.cognito().get_id_calls(), 0);
    client.invalidate_credentials();
    // A new key the emulator does not know: refused, which shows the provider was asked again.
    let err = send_err(client.endpoint(ECHO).unwrap().get("/v")).await;
    assert_eq!(err.aws_error_name(), Some("UnrecognizedClientException"));
}

/// Runs in a child process (see below), where the Cognito endpoint variables are set: a client
/// given an identity pool and no Cognito endpoint gets guest credentials from wherever they
/// point (`AMPLIFY_TEST_COGNITO`, when set, is given to the builder instead).
#[tokio::test]
#[ignore = "run by the cognito_endpoint_env_vars tests, in a child process with the variables set"]
async fn child_with_cognito_env_override() {
    let (Ok(pool), Ok(api_url)) = (
        std::env::var("AMPLIFY_TEST_POOL"),
        std::env::var("AMPLIFY_TEST_API"),
    ) else {
        return;
    };
    let ignore_env = std::env::var("AMPLIFY_TEST_IGNORE_ENV").is_ok();
    let mut builder = amplify_api::Client::builder()
        .endpoint(amplify_api::Endpoint::new(ECHO, api_url).region("us-east-1"))
        .identity_pool(pool)
        .read_env(!ignore_env)
        .timeout(Duration::from_secs(if ignore_env { 3 } else { 20 }));
    // The builder's own endpoint, when the parent gives one, must win over the variables.
    if let Ok(url) = std::env::var("AMPLIFY_TEST_COGNITO") {
        builder = builder.cognito_endpoint(url);
    }
    let client = builder.build().unwrap();
    let result = client.endpoint(ECHO).unwrap().get("/env").send().await;
    if ignore_env {
        // Cognito's real endpoint is out of reach here: whatever the failure, it is not the
        // emulator the variables name answering.
        let err = result.unwrap_err();
        assert!(
            matches!(
                err,
                amplify_api::Error::Credentials(_) | amplify_api::Error::Timeout(_)
            ),
            "{err:?}"
        );
        common::child_done("the Cognito variables were not read");
        return;
    }
    let echo: Echo = result.unwrap().json().unwrap();
    assert!(echo.access_key_id.starts_with("ASIA"), "{echo:?}");
    common::child_done("guest credentials from the Cognito the variables name");
}

/// Runs `child_with_cognito_env_override` in a child process against `emu`'s identity pool and
/// API, with `set` added to its environment and `remove` taken out of it.
fn run_cognito_child(emu: &Emulator, set: &[(&str, &str)], remove: &[&str]) {
    let (pool, api) = (emu.identity_pool_id(), emu.api_url());
    let mut vars = set.to_vec();
    vars.extend([
        ("AMPLIFY_TEST_POOL", pool),
        ("AMPLIFY_TEST_API", api.as_str()),
    ]);
    run_child_test("child_with_cognito_env_override", &vars, remove);
}

/// Runs the child against `right`'s pool and API with `set` in its environment, and checks it
/// got its identity from `right`'s Cognito and never called `wrong`'s.
fn assert_child_uses_right_cognito(right: &Emulator, wrong: &Emulator, set: &[(&str, &str)]) {
    run_cognito_child(right, set, &[]);
    assert_eq!(right.cognito().get_id_calls(), 1);
    assert_no_cognito_calls(wrong, "the losing endpoint was never called");
}

#[tokio::test]
async fn read_env_false_ignores_the_cognito_variables() {
    let emu = emulator().await;
    let url = emu.cognito_url();
    run_cognito_child(
        &emu,
        &[
            ("AWS_ENDPOINT_URL_COGNITO_IDENTITY", url.as_str()),
            ("AWS_ENDPOINT_URL", url.as_str()),
            ("AMPLIFY_TEST_IGNORE_ENV", "1"),
        ],
        &[],
    );
    assert_no_cognito_calls(&emu, "the variables were not read");
}

const COGNITO_VARS: [&str; 2] = ["AWS_ENDPOINT_URL_COGNITO_IDENTITY", "AWS_ENDPOINT_URL"];

#[tokio::test]
async fn cognito_endpoint_env_vars_are_honoured() {
    for var in COGNITO_VARS {
        let emu = emulator().await;
        let url = emu.cognito_url();
        let others: Vec<&str> = COGNITO_VARS.into_iter().filter(|v| *v != var).collect();
        run_cognito_child(&emu, &[(var, url.as_str())], &others);
        assert_eq!(
            (
                emu.cognito().get_id_calls(),
                emu.cognito().get_credentials_calls()
            ),
            (1, 1),
            "{var}: the child got its credentials from the emulator"
        );
        assert_eq!(emu.api().requests_served(), 1, "{var}");
    }
}

#[tokio::test]
async fn the_cognito_specific_variable_wins_over_aws_endpoint_url() {
    let (right, wrong) = (emulator().await, emulator().await);
    assert_child_uses_right_cognito(
        &right,
        &wrong,
        &[
            (
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY",
                right.cognito_url().as_str(),
            ),
            ("AWS_ENDPOINT_URL", wrong.cognito_url().as_str()),
        ],
    );
}

#[tokio::test]
async fn the_builders_cognito_endpoint_wins_over_the_variables() {
    let (right, wrong) = (emulator().await, emulator().await);
    let wrong_url = wrong.cognito_url();
    assert_child_uses_right_cognito(
        &right,
        &wrong,
        &[
            ("AWS_ENDPOINT_URL_COGNITO_IDENTITY", wrong_url.as_str()),
            ("AWS_ENDPOINT_URL", wrong_url.as_str()),
            ("AMPLIFY_TEST_COGNITO", right.cognito_url().as_str()),
        ],
    );
}

/// A Cognito endpoint that closes every connection once the request has arrived, without an
/// answer: the request may have been processed.
fn cognito_hanging_up() -> common::RawServer {
    common::RawServer::start(|_, _| common::Answer::Send(String::new()))
}

#[tokio::test]
async fn get_id_is_not_retried_once_the_request_may_have_left() {
    // GetId is not idempotent: retrying it after a request that reached Cognito can mint a
    // second identity.
    let server = cognito_hanging_up();
    let provider =
        CognitoIdentityProvider::builder("us-east-1:00000000-0000-0000-0000-000000000000")
            .endpoint(server.url())
            .allow_http(true)
            .read_env(false)
            .retry(amplify_api::RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
    let err = provider.fetch().await.unwrap_err();
    assert!(err.to_string().contains("GetId"), "{err}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one GetId: {requests:?}");

    // GetCredentialsForIdentity (for a stored identity id) is idempotent: retried.
    let server = cognito_hanging_up();
    let store = amplify_api::credentials::MemoryIdentityIdStore::default();
    amplify_api::credentials::IdentityIdStore::save(
        &store,
        "us-east-1:00000000-0000-0000-0000-000000000000",
        "us-east-1:stored",
    );
    let provider =
        CognitoIdentityProvider::builder("us-east-1:00000000-0000-0000-0000-000000000000")
            .endpoint(server.url())
            .allow_http(true)
            .read_env(false)
            .identity_id_store(store)
            .retry(amplify_api::RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
    provider.fetch().await.unwrap_err();
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "every attempt: {requests:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.contains("GetCredentialsForIdentity"))
    );
}

#[tokio::test]
async fn get_id_is_retried_when_the_connection_was_refused() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let provider =
        CognitoIdentityProvider::builder("us-east-1:00000000-0000-0000-0000-000000000000")
            .endpoint(format!("http://{addr}"))
            .allow_http(true)
            .read_env(false)
            .retry(
                amplify_api::RetryPolicy::default()
                    .base_delay(Duration::from_millis(100))
                    .max_attempts(6),
            )
            .build()
            .unwrap();
    let starter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        common::RawServer::start_on(addr, |_, _| {
            common::Answer::Send(common::http_response(
                "400 Bad Request",
                &[("x-amzn-errortype", "ResourceNotFoundException")],
                r#"{"message":"no such pool"}"#,
            ))
        })
    });
    let err = provider.fetch().await.unwrap_err();
    let server = starter.join().unwrap();
    assert!(err.to_string().contains("no such pool"), "{err}");
    assert_eq!(server.requests().len(), 1);
}
