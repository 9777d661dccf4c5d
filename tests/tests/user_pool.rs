//! Sign-in to a Cognito user pool (feature `user-pool`) end to end against the emulator, whose
//! user pool checks SRP proofs with its own server side: SRP and password sign-in, refresh (one
//! in flight), sign-out, challenges, Cognito's errors as typed errors, the ID token as `Logins`
//! and as bearer token, the IAM role chosen by group (`CustomRoleArn`), and no secret in any
//! output.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use amplify_api::credentials::TokenRoles;
use amplify_api::user_pool::{ChallengeName, UserPoolError, UserPoolSession};
use amplify_api::{AuthMode, Client, Endpoint, RetryPolicy};
use amplify_api_emulator::{
    Auth, CognitoFault, DEFAULT_AUTHENTICATED_ROLE, Echo, Emulator, UNAUTHENTICATED_ROLE,
    UserStatus,
};
use common::{ECHO, emulator};

const PASSWORD: &str = "Correct-Horse-9";

fn session(emu: &Emulator) -> UserPoolSession {
    UserPoolSession::builder(emu.user_pool_id(), emu.user_pool_client_id())
        .endpoint(emu.user_pool_url())
        .read_env(false)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A client with an IAM endpoint (`echo`) and a user-pool endpoint (`users`), signing as
/// `session`'s user.
fn client(emu: &Emulator, session: &UserPoolSession) -> Client {
    client_with(emu, session, |b| b)
}

fn client_with(
    emu: &Emulator,
    session: &UserPoolSession,
    configure: impl FnOnce(amplify_api::ClientBuilder) -> amplify_api::ClientBuilder,
) -> Client {
    let builder = common::builder(emu)
        .endpoint(
            Endpoint::new("users", format!("{}/users", emu.api_url()))
                .region("us-east-1")
                .auth_mode(AuthMode::AmazonCognitoUserPools),
        )
        .user_pool_session(session.clone());
    configure(builder).build().unwrap()
}

async fn echo(client: &Client, endpoint: &str) -> Result<Echo, amplify_api::Error> {
    client
        .endpoint(endpoint)?
        .get("/whoami")
        .send()
        .await?
        .json::<Echo>()
}

#[tokio::test]
async fn srp_sign_in_gives_the_users_credentials_and_bearer_token() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.api().require_for("/users", Auth::UserPool);
    let session = session(&emu);
    assert!(!session.is_signed_in());
    session.sign_in("alice", PASSWORD).await.unwrap();
    assert!(session.is_signed_in());
    assert_eq!(session.username().as_deref(), Some("alice"));
    assert_eq!(
        emu.user_pool().password_auth_calls(),
        0,
        "SRP, not the password"
    );
    assert_eq!(emu.user_pool().respond_to_challenge_calls(), 1);

    let client = client(&emu, &session);
    let iam = echo(&client, ECHO).await.unwrap();
    assert_eq!(
        iam.role_arn, DEFAULT_AUTHENTICATED_ROLE,
        "authenticated credentials"
    );
    let logins = emu.cognito().last_logins().expect("Logins sent");
    assert_eq!(logins.len(), 1);
    assert_eq!(
        logins.get(&session.login_key()),
        Some(&session.id_token().await.unwrap())
    );
    let users = echo(&client, "users").await.unwrap();
    assert_eq!(users.user, "alice", "the ID token was the bearer token");
    assert_eq!(
        users.headers["authorization"],
        session.id_token().await.unwrap()
    );
}

#[tokio::test]
async fn a_wrong_password_fails_the_srp_proof() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    let session = session(&emu);
    let err = session.sign_in("alice", "wrong").await.unwrap_err();
    assert!(
        matches!(&err, UserPoolError::NotAuthorized { message } if message == "Incorrect username or password."),
        "{err:?}"
    );
    assert_eq!(err.name(), Some("NotAuthorizedException"));
    assert_eq!(
        emu.user_pool().respond_to_challenge_calls(),
        1,
        "the proof was sent and refused"
    );
    assert!(!session.is_signed_in());
    // Signed out: guest credentials.
    let client = client(&emu, &session);
    assert_eq!(
        echo(&client, ECHO).await.unwrap().role_arn,
        UNAUTHENTICATED_ROLE
    );
    assert_eq!(emu.cognito().last_logins(), None);
}

#[tokio::test]
async fn unknown_unconfirmed_and_throttled_are_typed_errors() {
    let emu = emulator().await;
    emu.user_pool().add_user("bob", PASSWORD);
    emu.user_pool()
        .set_user_status("bob", UserStatus::Unconfirmed);
    let session = session(&emu);
    let err = session.sign_in("nobody", PASSWORD).await.unwrap_err();
    assert!(matches!(err, UserPoolError::UserNotFound { .. }), "{err:?}");
    assert_eq!(err.message(), Some("User does not exist."));
    let err = session.sign_in("bob", PASSWORD).await.unwrap_err();
    assert!(
        matches!(err, UserPoolError::UserNotConfirmed { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "UserNotConfirmedException: User is not confirmed."
    );
    emu.user_pool().fail_next(1, CognitoFault::Throttling);
    let err = session.sign_in("bob", PASSWORD).await.unwrap_err();
    assert!(
        matches!(&err, UserPoolError::Throttled { name, message } if name == "TooManyRequestsException" && message == "Rate exceeded"),
        "{err:?}"
    );
    assert!(!session.is_signed_in());
}

#[tokio::test]
async fn throttling_is_retried_with_the_policy() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    let session = UserPoolSession::builder(emu.user_pool_id(), emu.user_pool_client_id())
        .endpoint(emu.user_pool_url())
        .read_env(false)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap();
    emu.user_pool().fail_next(2, CognitoFault::Throttling);
    session.sign_in("alice", PASSWORD).await.unwrap();
    assert_eq!(emu.user_pool().initiate_auth_calls(), 3);
}

#[tokio::test]
async fn password_auth_when_the_client_allows_only_that() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.user_pool().allow_flows(false, true);
    let session = session(&emu);
    session.sign_in("alice", PASSWORD).await.unwrap();
    assert_eq!(emu.user_pool().password_auth_calls(), 1);
    assert_eq!(
        emu.user_pool().initiate_auth_calls(),
        2,
        "SRP refused, then the password"
    );
    let err = session.sign_in("alice", "wrong").await.unwrap_err();
    assert!(
        matches!(err, UserPoolError::NotAuthorized { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_client_secret_adds_secret_hash_to_every_call() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.user_pool()
        .set_client_secret(Some("s3cr3t-of-the-client"));
    let without = session(&emu);
    let err = without.sign_in("alice", PASSWORD).await.unwrap_err();
    assert!(
        err.to_string().contains("SECRET_HASH was not received"),
        "{err}"
    );
    let wrong = UserPoolSession::builder(emu.user_pool_id(), emu.user_pool_client_id())
        .endpoint(emu.user_pool_url())
        .client_secret("another")
        .build()
        .unwrap();
    let err = wrong.sign_in("alice", PASSWORD).await.unwrap_err();
    assert!(
        err.to_string().contains("Unable to verify secret hash"),
        "{err}"
    );
    let with = UserPoolSession::builder(emu.user_pool_id(), emu.user_pool_client_id())
        .endpoint(emu.user_pool_url())
        .client_secret("s3cr3t-of-the-client")
        .build()
        .unwrap();
    with.sign_in("alice", PASSWORD).await.unwrap();
    with.refresh().await.unwrap();
    assert_eq!(emu.user_pool().refresh_calls(), 1);
    assert!(!format!("{with:?}").contains("s3cr3t"));
}

#[tokio::test]
async fn tokens_refresh_before_expiry_one_refresh_for_many_waiters() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.user_pool().set_token_lifetime(Duration::from_secs(4));
    let session = session(&emu);
    session.sign_in("alice", PASSWORD).await.unwrap();
    let first = session.id_token().await.unwrap();
    assert_eq!(
        emu.user_pool().refresh_calls(),
        0,
        "fresh tokens are reused"
    );
    // Half of a 4-second lifetime: due for a refresh, not yet expired.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let waiters: Vec<_> = (0..20)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move { session.id_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for waiter in waiters {
        tokens.push(waiter.await.unwrap().unwrap());
    }
    assert_eq!(emu.user_pool().refresh_calls(), 1, "one refresh in flight");
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_ne!(tokens[0], first, "a new ID token");
    // The refreshed token signs in to the identity pool.
    let client = client(&emu, &session);
    assert_eq!(
        echo(&client, ECHO).await.unwrap().role_arn,
        DEFAULT_AUTHENTICATED_ROLE
    );
}

#[tokio::test]
async fn a_refused_refresh_keeps_valid_tokens_then_signs_out() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.user_pool().set_token_lifetime(Duration::from_secs(2));
    let session = session(&emu);
    session.sign_in("alice", PASSWORD).await.unwrap();
    let token = session.id_token().await.unwrap();
    emu.user_pool().revoke_refresh_tokens();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // Due for a refresh, refused, but still valid: kept.
    assert_eq!(session.id_token().await.unwrap(), token);
    assert_eq!(emu.user_pool().refresh_calls(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let err = session.id_token().await.unwrap_err();
    assert!(
        matches!(&err, UserPoolError::NotAuthorized { message } if message == "Invalid Refresh Token"),
        "{err:?}"
    );
    assert!(!session.is_signed_in(), "a refused refresh token signs out");
    assert!(matches!(
        session.id_token().await.unwrap_err(),
        UserPoolError::NotSignedIn
    ));
}

#[tokio::test]
async fn sign_out_goes_back_to_guest_credentials_and_no_bearer_token() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.api().require_for("/users", Auth::UserPool);
    let session = session(&emu);
    session.sign_in("alice", PASSWORD).await.unwrap();
    let client = client(&emu, &session);
    assert_eq!(
        echo(&client, ECHO).await.unwrap().role_arn,
        DEFAULT_AUTHENTICATED_ROLE
    );
    session.sign_out();
    assert!(!session.is_signed_in());
    assert_eq!(
        echo(&client, ECHO).await.unwrap().role_arn,
        UNAUTHENTICATED_ROLE
    );
    let err = echo(&client, "users").await.unwrap_err();
    assert!(
        err.to_string().contains("no user is signed in"),
        "user-pool endpoints get no token: {err}"
    );
}

#[tokio::test]
async fn software_token_mfa_is_a_challenge_answered_with_a_code() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.user_pool().require_totp("alice", "123456");
    let session = session(&emu);
    let err = session.sign_in("alice", PASSWORD).await.unwrap_err();
    let challenge = err.challenge().expect("a challenge").clone();
    assert_eq!(challenge.name(), &ChallengeName::SoftwareTokenMfa);
    assert_eq!(challenge.username(), "alice");
    assert!(challenge.session().is_some());
    assert!(err.to_string().contains("SOFTWARE_TOKEN_MFA"), "{err}");
    assert!(!session.is_signed_in());
    let err = session.answer_totp(&challenge, "000000").await.unwrap_err();
    assert_eq!(err.name(), Some("CodeMismatchException"), "{err}");
    // A new sign-in, the right code.
    let err = session.sign_in("alice", PASSWORD).await.unwrap_err();
    let challenge = err.challenge().unwrap();
    session.answer_totp(challenge, "123456").await.unwrap();
    assert!(session.is_signed_in());
}

#[tokio::test]
async fn new_password_required_is_answered_with_the_new_password() {
    let emu = emulator().await;
    emu.user_pool().add_user("carol", "Temp-Passw0rd");
    emu.user_pool()
        .set_user_status("carol", UserStatus::ForceChangePassword);
    let session = session(&emu);
    let err = session.sign_in("carol", "Temp-Passw0rd").await.unwrap_err();
    let challenge = err.challenge().expect("a challenge");
    assert_eq!(challenge.name(), &ChallengeName::NewPasswordRequired);
    assert!(challenge.parameters().contains_key("requiredAttributes"));
    session
        .answer_new_password(challenge, "New-Passw0rd!")
        .await
        .unwrap();
    assert!(session.is_signed_in());
    session.sign_out();
    let err = session.sign_in("carol", "Temp-Passw0rd").await.unwrap_err();
    assert!(
        matches!(err, UserPoolError::NotAuthorized { .. }),
        "{err:?}"
    );
    session.sign_in("carol", "New-Passw0rd!").await.unwrap();
}

#[tokio::test]
async fn the_session_reads_the_config_s_user_pool_and_client() {
    let config = r#"{
      "aws_project_region": "us-east-1",
      "aws_user_pools_id": "us-east-1_AbCdEf",
      "aws_user_pools_web_client_id": "client123",
      "aws_cloud_logic_custom": [{"name": "api", "endpoint": "https://a.execute-api.us-east-1.amazonaws.com/prod", "region": "us-east-1"}]
    }"#;
    let session = UserPoolSession::builder_from_config_str(config)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(session.user_pool_id(), "us-east-1_AbCdEf");
    assert_eq!(session.client_id(), "client123");
    let no_client = config.replace(r#""aws_user_pools_web_client_id": "client123","#, "");
    let err = UserPoolSession::builder_from_config_str(&no_client).unwrap_err();
    assert!(err.to_string().contains("no app client id"), "{err}");
}

// Section 2: the IAM role by group.

const ADMIN: &str = "arn:aws:iam::123456789012:role/admins";
const EDITOR: &str = "arn:aws:iam::123456789012:role/editors";
const OTHER: &str = "arn:aws:iam::123456789012:role/not-yours";

async fn signed_in_with_roles(emu: &Emulator) -> UserPoolSession {
    emu.user_pool().add_user("dana", PASSWORD);
    emu.user_pool().set_user_groups(
        "dana",
        &["admins", "editors"],
        &[ADMIN, EDITOR],
        Some(EDITOR),
    );
    let session = session(emu);
    session.sign_in("dana", PASSWORD).await.unwrap();
    session
}

#[tokio::test]
async fn the_preferred_role_is_the_pools_choice_and_a_fixed_role_is_asked_for() {
    let emu = emulator().await;
    let session = signed_in_with_roles(&emu).await;
    assert_eq!(session.groups(), ["admins", "editors"]);
    let pool_choice = client(&emu, &session);
    assert_eq!(echo(&pool_choice, ECHO).await.unwrap().role_arn, EDITOR);
    let fixed = client_with(&emu, &session, |b| b.custom_role_arn(ADMIN));
    assert_eq!(echo(&fixed, ECHO).await.unwrap().role_arn, ADMIN);
}

#[tokio::test]
async fn a_role_chosen_from_the_token_and_switching_roles_never_serves_the_other_roles_credentials()
{
    let emu = emulator().await;
    let session = signed_in_with_roles(&emu).await;
    let choice = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::<TokenRoles>::new()));
    let client = {
        let (choice, seen) = (choice.clone(), seen.clone());
        client_with(&emu, &session, move |b| {
            b.role_from_token(move |roles: &TokenRoles| {
                seen.lock().unwrap().push(roles.clone());
                roles.roles.get(choice.load(Ordering::SeqCst)).cloned()
            })
        })
    };
    let first = echo(&client, ECHO).await.unwrap();
    assert_eq!(first.role_arn, ADMIN);
    let again = echo(&client, ECHO).await.unwrap();
    assert_eq!(
        again.access_key_id, first.access_key_id,
        "cached for the same role"
    );
    let fetches = emu.cognito().get_credentials_calls();
    choice.store(1, Ordering::SeqCst);
    let switched = echo(&client, ECHO).await.unwrap();
    assert_eq!(switched.role_arn, EDITOR);
    assert_ne!(switched.access_key_id, first.access_key_id);
    assert_eq!(emu.cognito().get_credentials_calls(), fetches + 1);
    choice.store(0, Ordering::SeqCst);
    let back = echo(&client, ECHO).await.unwrap();
    assert_eq!(back.role_arn, ADMIN, "never the editors' credentials");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].roles, [ADMIN, EDITOR]);
    assert_eq!(seen[0].preferred.as_deref(), Some(EDITOR));
    assert_eq!(seen[0].groups, ["admins", "editors"]);
}

#[tokio::test]
async fn a_role_the_token_does_not_carry_is_a_typed_error() {
    let emu = emulator().await;
    let session = signed_in_with_roles(&emu).await;
    let client = client_with(&emu, &session, |b| b.custom_role_arn(OTHER));
    let err = echo(&client, ECHO).await.unwrap_err();
    let amplify_api::Error::Credentials(credentials) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(credentials.refused_role(), Some(OTHER));
    assert_eq!(credentials.name(), Some("InvalidParameterException"));
    assert!(
        err.to_string()
            .contains("not among the roles the user's ID token carries"),
        "{err}"
    );
    // Signed out, the fixed role is not asked for: guests have the pool's role.
    session.sign_out();
    assert_eq!(
        echo(&client, ECHO).await.unwrap().role_arn,
        UNAUTHENTICATED_ROLE
    );
}

#[tokio::test]
async fn the_identity_pool_refuses_a_forged_or_expired_user_pool_token() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    emu.user_pool().set_token_lifetime(Duration::from_secs(1));
    let session = session(&emu);
    session.sign_in("alice", PASSWORD).await.unwrap();
    let token = session.id_token().await.unwrap();
    let key = session.login_key();
    let forged = format!("{}x", token);
    for (token, why) in [(forged, "signature"), (token.clone(), "expired")] {
        if why == "expired" {
            tokio::time::sleep(Duration::from_millis(1100)).await;
        }
        let logins = amplify_api::Logins::from([(key.clone(), token)]);
        let client = common::builder(&emu)
            .logins_provider(move || {
                let logins = logins.clone();
                async move { Ok::<_, amplify_api::BoxError>(Some(logins)) }
            })
            .build()
            .unwrap();
        let err = echo(&client, ECHO).await.unwrap_err();
        assert_eq!(
            err.aws_error_name(),
            Some("NotAuthorizedException"),
            "{why}: {err}"
        );
    }
}

#[tokio::test]
async fn no_password_or_token_in_any_debug_display_or_log() {
    use tracing_subscriber::fmt::format::FmtSpan;
    let captured = common::Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    const SENTINEL: &str = "SENTINEL-PASSWORD-7f3a";
    let emu = emulator().await;
    emu.user_pool().add_user("erin", SENTINEL);
    emu.user_pool().set_token_lifetime(Duration::from_secs(2));
    emu.api().require_for("/users", Auth::UserPool);
    let session = session(&emu);
    let mut output = Vec::new();
    let wrong = session
        .sign_in("erin", "SENTINEL-WRONG-PASSWORD")
        .await
        .unwrap_err();
    output.push(format!("{wrong:?} {wrong}"));
    session.sign_in("erin", SENTINEL).await.unwrap();
    output.push(format!("{session:?}"));
    let client = client(&emu, &session);
    output.push(format!("{client:?}"));
    echo(&client, ECHO).await.unwrap();
    echo(&client, "users").await.unwrap();
    let mut tokens = vec![
        session.id_token().await.unwrap(),
        session.access_token().await.unwrap(),
    ];
    tokio::time::sleep(Duration::from_millis(1100)).await;
    tokens.push(session.id_token().await.unwrap()); // refreshed
    tokens.push(session.access_token().await.unwrap());
    tokens.extend(emu.user_pool().issued_refresh_tokens());
    emu.user_pool().revoke_refresh_tokens();
    // Past the refreshed tokens' expiry: the refused refresh signs out.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let refused = session.id_token().await.unwrap_err();
    output.push(format!("{refused:?} {refused}"));
    let err = echo(&client, "users").await.unwrap_err();
    output.push(format!("{err:?} {err}"));
    emu.user_pool().require_totp("erin", "654321");
    let challenge = session.sign_in("erin", SENTINEL).await.unwrap_err();
    output.push(format!("{challenge:?} {challenge}"));
    let session_token = challenge.challenge().unwrap().session().unwrap().to_owned();
    output.push(captured.text());
    let all = output.join("\n");
    assert!(all.contains("UserPoolSession"), "the output was captured");
    let mut secrets = vec![
        SENTINEL.to_owned(),
        "SENTINEL-WRONG-PASSWORD".to_owned(),
        session_token,
    ];
    assert!(tokens.len() >= 5, "ID, access and refresh tokens collected");
    secrets.extend(tokens);
    for secret in &secrets {
        assert!(
            !all.contains(secret.as_str()),
            "a secret leaked into the output"
        );
    }
    // Tokens are long: no 40-character piece of one appears either.
    for line in all.lines() {
        assert!(!line.contains("eyJ"), "a JWT-looking value leaked: {line}");
    }
}

#[tokio::test]
async fn kept_tokens_restore_the_session_in_another_and_refresh_there() {
    let emu = emulator().await;
    emu.user_pool().add_user("alice", PASSWORD);
    let first = session(&emu);
    assert!(first.tokens().is_none(), "signed out: nothing to keep");
    first.sign_in("alice", PASSWORD).await.unwrap();
    let kept = first.tokens().unwrap();
    assert_eq!(kept.username(), "alice");
    assert!(kept.has_refresh_token());
    let id = first.id_token().await.unwrap();
    let refresh = emu.user_pool().issued_refresh_tokens();
    // Its Debug and its serialized form's Debug never show a token.
    let debug = format!("{kept:?} {first:?}");
    assert!(!debug.contains(&id), "{debug}");
    for token in &refresh {
        assert!(!debug.contains(token.as_str()), "{debug}");
    }
    let json = serde_json::to_string(&kept).unwrap();
    let back: amplify_api::user_pool::SessionTokens = serde_json::from_str(&json).unwrap();
    assert_eq!(back, kept);

    // Another session (another run) restores them: no sign-in call, the same user.
    let second = session(&emu);
    second.restore(back);
    assert_eq!(second.username().as_deref(), Some("alice"));
    assert_eq!(second.id_token().await.unwrap(), id);
    assert_eq!(emu.user_pool().initiate_auth_calls(), 1);
    emu.api().require_for("/users", Auth::UserPool);
    let client = client(&emu, &second);
    assert_eq!(echo(&client, "users").await.unwrap().user, "alice");
    // Kept tokens due for a refresh (an hour old, a minute left; no sleeping): restored, they
    // are refreshed with the kept refresh token, and the new tokens exported.
    let mut due = serde_json::to_value(&kept).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    due["issued_at"] = (now - 3540).into();
    due["expires_at"] = (now + 60).into();
    let third = session(&emu);
    third.restore(serde_json::from_value(due).unwrap());
    let refreshed = third.id_token().await.unwrap();
    assert_ne!(refreshed, id);
    assert_eq!(emu.user_pool().refresh_calls(), 1);
    assert_eq!(
        second.id_token().await.unwrap(),
        id,
        "still fresh: no refresh"
    );
    assert_eq!(emu.user_pool().refresh_calls(), 1);
    let exported = third.tokens().unwrap();
    assert_ne!(exported, kept);
    assert!(
        exported.expires() > std::time::UNIX_EPOCH + Duration::from_secs(now + 600),
        "a new hour"
    );
}
