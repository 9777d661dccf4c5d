//! Interop with a third-party emulator: guest credentials from moto's Cognito Identity through
//! our provider, then a request signed with them accepted by our verifying emulator.
//!
//! Ignored by default: `.ci/run` installs moto, starts it and runs this with `MOTO_ENDPOINT` set.

use amplify_api::credentials::CognitoIdentityProvider;
use amplify_api::{Client, Endpoint};
use amplify_api_emulator::{Echo, Emulator};

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

/// One call to moto's `cognito-idp` JSON API (moto does not check signatures).
async fn idp(moto: &str, operation: &str, body: serde_json::Value) -> serde_json::Value {
    let resp = reqwest::Client::new()
        .post(moto)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{operation}"),
        )
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .expect("moto answers");
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.unwrap_or_default();
    assert!(status.is_success(), "{operation}: {status} {body}");
    body
}

/// A user pool, an app client (with a secret if asked) and a confirmed user, made through
/// moto's API: (pool id, client id, client secret).
async fn create_user_pool(
    moto: &str,
    user: &str,
    password: &str,
    with_secret: bool,
) -> (String, String, Option<String>) {
    let pool = idp(
        moto,
        "CreateUserPool",
        serde_json::json!({ "PoolName": "amplify_api_interop" }),
    )
    .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = idp(
        moto,
        "CreateUserPoolClient",
        serde_json::json!({
            "UserPoolId": pool_id,
            "ClientName": "app",
            "GenerateSecret": with_secret,
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = client["UserPoolClient"]["ClientSecret"]
        .as_str()
        .map(str::to_owned);
    idp(
        moto,
        "AdminCreateUser",
        serde_json::json!({
            "UserPoolId": pool_id, "Username": user, "TemporaryPassword": "Temp-Passw0rd!",
            "MessageAction": "SUPPRESS",
        }),
    )
    .await;
    idp(
        moto,
        "AdminSetUserPassword",
        serde_json::json!({
            "UserPoolId": pool_id, "Username": user, "Password": password, "Permanent": true,
        }),
    )
    .await;
    (pool_id, client_id, secret)
}

/// Sign-in to moto's `cognito-idp` (a user made through its API): SRP (moto checks the flow,
/// the client, the user, `SECRET_HASH` and that the claim's fields are there, not the proof
/// itself: that is the emulator's and the known answers' job), refresh, a wrong password
/// (`USER_PASSWORD_AUTH`, which moto checks), then the ID token as `Logins` for moto's identity
/// pool.
#[tokio::test]
#[ignore = "needs moto: run by .ci/run with MOTO_ENDPOINT set"]
async fn user_pool_sign_in_with_moto() {
    use amplify_api::user_pool::{AuthFlow, UserPoolError, UserPoolSession};
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT is set by .ci/run");
    for with_secret in [false, true] {
        let (pool_id, client_id, secret) =
            create_user_pool(&moto, "alice", "Correct-Horse-9!", with_secret).await;
        assert_eq!(secret.is_some(), with_secret);
        let builder = |flow: AuthFlow| {
            let mut b = UserPoolSession::builder(&pool_id, &client_id)
                .endpoint(&moto)
                .read_env(false)
                .auth_flow(flow);
            if let Some(secret) = &secret {
                b = b.client_secret(secret);
            }
            b.build().unwrap()
        };
        let session = builder(AuthFlow::UserSrp);
        session
            .sign_in("alice", "Correct-Horse-9!")
            .await
            .expect("SRP sign-in with moto");
        assert_eq!(session.username().as_deref(), Some("alice"));
        let first = session.id_token().await.unwrap();
        session
            .refresh()
            .await
            .expect("REFRESH_TOKEN_AUTH with moto");
        assert!(session.is_signed_in());
        let refreshed = session.id_token().await.unwrap();
        assert_eq!(refreshed.split('.').count(), 3, "a JWT");
        let _ = first;

        let password = builder(AuthFlow::UserPassword);
        let err = password.sign_in("alice", "wrong").await.unwrap_err();
        assert!(
            matches!(&err, UserPoolError::NotAuthorized { message } if message == "Incorrect username or password."),
            "{err:?}"
        );
        password.sign_in("alice", "Correct-Horse-9!").await.unwrap();
        let err = builder(AuthFlow::UserSrp)
            .sign_in("nobody", "x")
            .await
            .unwrap_err();
        assert_eq!(err.name(), Some("UserNotFoundException"), "{err}");

        // The ID token as Logins for moto's identity pool: authenticated credentials.
        let identity_pool = create_pool(&moto).await;
        let provider = CognitoIdentityProvider::builder(&identity_pool)
            .endpoint(&moto)
            .logins_provider(session.clone())
            .build()
            .unwrap();
        let creds = provider
            .fetch()
            .await
            .expect("authenticated credentials from moto");
        assert!(creds.session_token().is_some());
        let logins = amplify_api::LoginsProvider::logins(&session)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(logins.get(&session.login_key()), Some(&refreshed));
    }
}
