//! The `aws-config` feature: a generated client's `from_env()` takes credentials from the AWS
//! SDK's default chain (here, the environment variables) instead of the config's identity pool,
//! and `AMPLIFY_API_<NAME>_URL` points it at the emulator. Environment variables are
//! process-wide, so the client runs in a child process.
#![cfg(feature = "aws-config")]

mod common;

use amplify_api::api_client;
use amplify_api_emulator::{Auth, Echo};
use common::{emulator, run_child_test, send_echo};

#[api_client(config = "fixtures/configs/native.json", endpoints = ["itemsApi"])]
struct Api;

const ACCESS_KEY_ID: &str = "AKIDFROMTHEENVIRONMENT";
const SECRET: &str = "secret-from-the-environment";
const TOKEN: &str = "token-from-the-environment";

/// Runs in a child process with the AWS variables set (see below).
#[tokio::test]
#[ignore = "run by from_env_signs_with_the_default_chain, in a child process"]
async fn child_from_env() {
    if std::env::var("AWS_ACCESS_KEY_ID").as_deref() != Ok(ACCESS_KEY_ID) {
        return;
    }
    let api = Api::from_env().await.unwrap();
    let echo: Echo = send_echo(api.items_api().get("/env")).await;
    assert_eq!(echo.access_key_id, ACCESS_KEY_ID);
    assert_eq!(echo.headers["x-amz-security-token"], TOKEN);
    assert_eq!(
        (echo.region.as_str(), echo.service.as_str()),
        (api::items_api::REGION, "execute-api")
    );
    common::child_done("signed with the default chain's credentials");
}

#[tokio::test]
async fn from_env_signs_with_the_default_chain() {
    let emu = emulator().await;
    emu.api().require(Auth::Iam);
    emu.allow_credentials(ACCESS_KEY_ID, SECRET, Some(TOKEN.to_owned()));
    let url_var = amplify_api::endpoint_url_env_var(api::items_api::NAME);
    let api_url = emu.api_url();
    run_child_test(
        "child_from_env",
        &[
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
            ("AWS_REGION", "us-east-1"),
            // Nothing else of this machine's may answer: no profile files, no instance metadata.
            ("AWS_CONFIG_FILE", "/nonexistent/amplify-api-test"),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/amplify-api-test",
            ),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            (&url_var, &api_url),
        ],
        &["AWS_PROFILE", "AWS_ENDPOINT_URL"],
    );
    assert_eq!(
        emu.api().requests_served(),
        1,
        "the child reached the emulator"
    );
    assert_eq!(emu.cognito().get_id_calls(), 0, "no identity pool involved");
}
