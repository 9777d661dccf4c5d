//! Testing an app is one call: `Emulator::for_config` serves every endpoint of the app's own
//! config (IAM, API key, user pool, NONE) with its own identity pool id, and `client()` is the
//! app's generated client pointed at it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

use amplify_api::{Client, Endpoint, api_client};
use amplify_api_emulator::{Echo, Emulator};

const CONFIG: &str = "fixtures/app/amplifyconfiguration.json";

/// The app under test: four endpoints, one per auth mode, and its own identity pool.
#[api_client(config = "fixtures/app/amplifyconfiguration.json")]
struct App;

#[tokio::test]
async fn one_call_serves_every_endpoint_of_an_app_with_its_own_auth_and_pool() {
    let emu = Emulator::for_config(CONFIG).await.unwrap();
    let app: App = emu.client().unwrap();

    // AWS_IAM: credentials from the config's own identity pool, signature verified.
    let echo: Echo = app
        .orders_api()
        .get("/orders")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(echo.path, "/ordersApi/orders");
    assert!(echo.headers["authorization"].starts_with("AWS4-HMAC-SHA256"));
    assert!(echo.headers["authorization"].contains("/eu-west-1/execute-api/"));
    assert_eq!(
        emu.cognito().get_id_calls(),
        1,
        "the config's pool id was accepted"
    );

    // API_KEY: the config's key.
    let echo: Echo = app
        .catalog_api()
        .get("/items")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(echo.headers["x-api-key"], "da2-catalogkeycatalogkey");

    // AMAZON_COGNITO_USER_POOLS: the emulator's token, given by the builder.
    let echo: Echo = app
        .profile_api()
        .get("/me")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(echo.headers["authorization"], emu.token());

    // NONE: nothing added, still served.
    let echo: Echo = app
        .status_api()
        .get("/health")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert!(!echo.headers.contains_key("authorization"));
    assert!(!echo.headers.contains_key("x-api-key"));
}

#[tokio::test]
async fn the_token_is_the_tests_choice() {
    let mut emu = Emulator::for_config(CONFIG).await.unwrap();
    emu.set_token("eyJ.test.token");
    let app: App = emu.client().unwrap();
    let echo: Echo = app
        .profile_api()
        .get("/me")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(echo.headers["authorization"], "eyJ.test.token");
}

/// A refusal names the endpoint, the auth mode its path expects and how to configure it.
#[tokio::test]
async fn a_refusal_says_which_auth_the_path_expects_and_how_to_give_it() {
    let emu = Emulator::for_config(CONFIG).await.unwrap();
    // A client that reaches the API-key endpoint without its key, and the user-pool one
    // without a token: each refused with the reason.
    let bare = Client::builder()
        .endpoint(
            Endpoint::new("catalogApi", emu.endpoint_url("catalogApi").unwrap())
                .auth_mode(amplify_api::AuthMode::None),
        )
        .endpoint(
            Endpoint::new("profileApi", emu.endpoint_url("profileApi").unwrap())
                .auth_mode(amplify_api::AuthMode::None),
        )
        .endpoint(
            Endpoint::new("ordersApi", emu.endpoint_url("ordersApi").unwrap())
                .auth_mode(amplify_api::AuthMode::None),
        )
        .allow_http(true)
        .read_env(false)
        .build()
        .unwrap();
    for (name, says) in [
        ("catalogApi", "expects API_KEY: an `x-api-key` header"),
        (
            "profileApi",
            "expects AMAZON_COGNITO_USER_POOLS: `Authorization`",
        ),
        ("ordersApi", "expects AWS_IAM: a SigV4 signature"),
    ] {
        let err = bare
            .endpoint(name)
            .unwrap()
            .get("/x")
            .send()
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("endpoint `{name}` at `/{name}` {says}")),
            "{name}: {text}"
        );
    }
}

#[tokio::test]
async fn a_config_it_cannot_read_is_an_error_naming_the_file() {
    let err = Emulator::for_config("fixtures/app/nope.json")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("fixtures/app/nope.json"), "{err}");
}
