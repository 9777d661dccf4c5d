//! Interop with a third-party emulator: guest credentials from moto's Cognito Identity through
//! our provider, then a request signed with them accepted by our verifying emulator.
//!
//! Ignored by default: `.ci/run` installs moto, starts it and runs this with `MOTO_ENDPOINT` set.

use amplify_api::credentials::CognitoIdentityProvider;
use amplify_api::test_util::{Echo, Emulator};
use amplify_api::{Client, Endpoint};

/// Creates an identity pool that allows guests, with moto's JSON 1.1 API (moto does not check
/// signatures; it reads the region from the credential scope).
async fn create_pool(moto: &str) -> String {
    let resp = reqwest::Client::new()
        .post(moto)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.CreateIdentityPool",
        )
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-identity/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .body(r#"{"IdentityPoolName":"amplify_api_interop","AllowUnauthenticatedIdentities":true}"#)
        .send()
        .await
        .expect("moto answers");
    assert!(
        resp.status().is_success(),
        "CreateIdentityPool: {}",
        resp.status()
    );
    let body: serde_json::Value = resp.json().await.unwrap();
    body["IdentityPoolId"].as_str().unwrap().to_owned()
}

#[tokio::test]
#[ignore = "needs moto: run by .ci/run with MOTO_ENDPOINT set"]
async fn guest_credentials_from_moto() {
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT is set by .ci/run");
    let pool = create_pool(&moto).await;
    assert!(pool.starts_with("us-east-1:"), "{pool}");

    let provider = CognitoIdentityProvider::builder(&pool)
        .endpoint(&moto)
        .build()
        .unwrap();
    let creds = provider.fetch().await.expect("guest credentials from moto");
    assert!(!creds.access_key_id().is_empty());
    assert!(creds.session_token().is_some());
    assert!(creds.expiry().unwrap() > std::time::SystemTime::now());
    let identity = provider.identity_id().expect("GetId gave an identity id");
    assert!(identity.starts_with("us-east-1:"), "{identity}");
    // A second fetch reuses the identity id.
    provider.fetch().await.unwrap();
    assert_eq!(provider.identity_id().unwrap(), identity);

    // The credentials sign a request our independent verifier accepts.
    let emu = Emulator::start().await.unwrap();
    emu.allow_credentials(
        creds.access_key_id(),
        creds.secret_access_key(),
        creds.session_token().map(str::to_owned),
    );
    let client = Client::builder()
        .endpoint(Endpoint::new("api", emu.api_url()).region("us-east-1"))
        .identity_pool(&pool)
        .cognito_endpoint(&moto)
        .read_env(false)
        .build()
        .unwrap();
    let echo: Echo = client
        .endpoint("api")
        .unwrap()
        .get("/hello")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(echo.access_key_id, creds.access_key_id());
}
