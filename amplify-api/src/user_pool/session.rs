//! [`UserPoolSession`]: sign-in to a Cognito user pool (SRP, or the password where the app
//! client allows only that), the tokens kept and refreshed, handed to the identity pool as
//! `Logins` and to user-pool endpoints as the bearer token.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use crate::platform;
use crate::providers::{BoxError, BoxFuture, Logins, LoginsProvider, TokenProvider};
use crate::retry::policy::RetryPolicy;
use crate::user_pool::error::{ChallengeName, ChallengeRequired, UserPoolError};
use crate::user_pool::srp;
use crate::wire::aws_json::{CallFailure, JsonService, service_endpoint, service_http_client};
use crate::wire::client::is_region;

/// The largest Cognito answer read (three tokens are a few KiB).
const MAX_BODY: usize = 256 * 1024;

/// How early tokens are refreshed (never more than half their lifetime).
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// How long after a failed refresh still-valid tokens are used without trying again.
const REFRESH_RETRY_AFTER: Duration = Duration::from_secs(5);

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// How [`UserPoolSession::sign_in`] proves the password.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFlow {
    /// `USER_SRP_AUTH` (the password never leaves the machine), falling back to
    /// `USER_PASSWORD_AUTH` when Cognito answers that the app client does not allow SRP.
    #[default]
    UserSrp,
    /// `USER_PASSWORD_AUTH` only (the password is sent, over TLS, to Cognito).
    UserPassword,
}

/// Which token [`TokenProvider`] hands to `AMAZON_COGNITO_USER_POOLS` endpoints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum BearerToken {
    /// The ID token (what an API Gateway Cognito authorizer accepts without OAuth scopes).
    #[default]
    Id,
    /// The access token (for authorizers that check OAuth scopes).
    Access,
}

/// A signed-in (or not yet signed-in) user of a Cognito user pool.
///
/// It signs in with SRP (`USER_SRP_AUTH`; `USER_PASSWORD_AUTH` where the app client allows only
/// that), keeps the tokens in memory, and refreshes them with the refresh token
/// (`REFRESH_TOKEN_AUTH`) before the ID token expires: 5 minutes before (at most half their
/// lifetime), one refresh in flight however many requests wait for it; a failed refresh keeps
/// the current tokens while they are valid. Clones share the user.
///
/// It is a [`LoginsProvider`] (the identity pool gives the user's authenticated credentials) and
/// a [`TokenProvider`] (the bearer token of `AMAZON_COGNITO_USER_POOLS` endpoints):
/// [`ClientBuilder::user_pool_session`](crate::ClientBuilder::user_pool_session) wires both.
///
/// Neither `Debug` nor any error shows the password or a token.
///
/// ```no_run
/// use amplify_api::Client;
/// use amplify_api::user_pool::UserPoolSession;
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let session = UserPoolSession::builder_from_config_file("amplify_outputs.json")?.build()?;
/// session.sign_in("alice", "correct horse battery staple").await?;
/// let client = Client::builder()
///     .config_file("amplify_outputs.json")
///     .user_pool_session(session.clone())
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct UserPoolSession {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: String,
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    flow: AuthFlow,
    bearer: BearerToken,
    retry: RetryPolicy,
    state: Mutex<State>,
    /// Held while refreshing: one refresh in flight.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    tokens: Option<Tokens>,
    /// Bumped by every sign-in and sign-out: a refresh that started before is not stored.
    generation: u64,
    /// When the last refresh failed (still-valid tokens are used a while before trying again).
    failed_at: Option<platform::Instant>,
}

#[derive(Clone)]
struct Tokens {
    id: String,
    access: String,
    refresh: Option<String>,
    /// The user's name in the pool (`cognito:username`), for `SECRET_HASH` on refresh.
    username: String,
    /// By the local clock: `ExpiresIn` counted from when the answer arrived.
    issued: SystemTime,
    expires: SystemTime,
}

impl Tokens {
    fn is_fresh(&self, now: SystemTime) -> bool {
        let lifetime = self.expires.duration_since(self.issued).unwrap_or_default();
        let margin = REFRESH_MARGIN.min(lifetime / 2);
        self.expires
            .checked_sub(margin)
            .is_some_and(|refresh_at| now < refresh_at)
    }

    fn is_unexpired(&self, now: SystemTime) -> bool {
        now < self.expires
    }
}

impl fmt::Debug for UserPoolSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.lock();
        f.debug_struct("UserPoolSession")
            .field("user_pool_id", &self.inner.pool_id)
            .field("client_id", &self.inner.client_id)
            .field("endpoint", &self.inner.endpoint)
            .field("has_client_secret", &self.inner.client_secret.is_some())
            .field("flow", &self.inner.flow)
            .field("signed_in", &state.tokens.is_some())
            .finish_non_exhaustive()
    }
}

/// Builds a [`UserPoolSession`].
pub struct UserPoolSessionBuilder {
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    endpoint: Option<String>,
    http: Option<reqwest::ClientBuilder>,
    flow: AuthFlow,
    bearer: BearerToken,
    retry: RetryPolicy,
    allow_http: bool,
    read_env: bool,
}

impl fmt::Debug for UserPoolSessionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserPoolSessionBuilder")
            .field("user_pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("has_client_secret", &self.client_secret.is_some())
            .field("endpoint", &self.endpoint)
            .field("flow", &self.flow)
            .field("bearer", &self.bearer)
            .finish_non_exhaustive()
    }
}

impl UserPoolSession {
    /// Starts building a session for the user pool `user_pool_id` (`<region>_<name>`) and its
    /// app client `client_id`.
    pub fn builder(
        user_pool_id: impl Into<String>,
        client_id: impl Into<String>,
    ) -> UserPoolSessionBuilder {
        UserPoolSessionBuilder {
            pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            client_secret: None,
            endpoint: None,
            http: None,
            flow: AuthFlow::default(),
            bearer: BearerToken::default(),
            retry: RetryPolicy::default(),
            allow_http: false,
            read_env: true,
        }
    }

    /// A builder for the user pool and app client of the Amplify config file at `path` (any
    /// format the crate reads).
    pub fn builder_from_config_file(
        path: impl AsRef<std::path::Path>,
    ) -> Result<UserPoolSessionBuilder, crate::error::Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::error::Error::config(
                crate::error::ConfigKind::ConfigFile,
                format!("cannot read the config file `{}`: {e}", path.display()),
            )
        })?;
        Self::config_builder(&text, &path.display().to_string())
    }

    /// [`builder_from_config_file`](Self::builder_from_config_file) for a config's text.
    pub fn builder_from_config_str(
        text: &str,
    ) -> Result<UserPoolSessionBuilder, crate::error::Error> {
        Self::config_builder(text, "config")
    }

    fn config_builder(
        text: &str,
        file: &str,
    ) -> Result<UserPoolSessionBuilder, crate::error::Error> {
        let model = crate::builder::config_model(text, None, file, Vec::new())?;
        match (model.user_pool_id, model.user_pool_client_id) {
            (Some(pool), Some(client)) => Ok(UserPoolSession::builder(pool, client)),
            (None, _) => Err(crate::error::Error::config(
                crate::error::ConfigKind::ConfigFile,
                format!(
                    "`{file}` has no user pool id (aws_user_pools_id, Auth.Cognito.userPoolId, \
                 CognitoUserPool.Default.PoolId or auth.user_pool_id)"
                ),
            )),
            (Some(_), None) => Err(crate::error::Error::config(
                crate::error::ConfigKind::ConfigFile,
                format!(
                    "`{file}` has a user pool but no app client id (aws_user_pools_web_client_id, \
                 Auth.Cognito.userPoolClientId, CognitoUserPool.Default.AppClientId or \
                 auth.user_pool_client_id)"
                ),
            )),
        }
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &str {
        &self.inner.pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The `Logins` key of this pool (`cognito-idp.<region>.amazonaws.com/<pool id>`).
    pub fn login_key(&self) -> String {
        crate::providers::user_pool_login_key(&self.inner.pool_id)
    }

    /// Whether a user is signed in (tokens are held; they may need a refresh).
    pub fn is_signed_in(&self) -> bool {
        self.inner.lock().tokens.is_some()
    }

    /// The signed-in user's name in the pool (`cognito:username`).
    pub fn username(&self) -> Option<String> {
        self.inner
            .lock()
            .tokens
            .as_ref()
            .map(|t| t.username.clone())
    }

    /// The signed-in user's groups (`cognito:groups` of the ID token).
    pub fn groups(&self) -> Vec<String> {
        self.id_claims()
            .map(|c| crate::jwt::list_claim(&c, "cognito:groups"))
            .unwrap_or_default()
    }

    fn id_claims(&self) -> Option<Map<String, Value>> {
        let state = self.inner.lock();
        state
            .tokens
            .as_ref()
            .and_then(|t| crate::jwt::claims(&t.id))
    }

    /// Signs `username` in with `password`. A challenge the session cannot answer by itself
    /// (MFA, a new password...) is [`UserPoolError::ChallengeRequired`]: answer it with
    /// [`answer_totp`](Self::answer_totp), [`answer_new_password`](Self::answer_new_password)
    /// or [`respond_to_challenge`](Self::respond_to_challenge).
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<(), UserPoolError> {
        match self.inner.flow {
            AuthFlow::UserSrp => match self.inner.sign_in_srp(username, password).await {
                Err(e) if flow_not_enabled(&e, "USER_SRP_AUTH") => {
                    tracing::debug!("the app client does not allow SRP; USER_PASSWORD_AUTH");
                    self.inner.sign_in_password(username, password).await
                }
                other => other,
            },
            AuthFlow::UserPassword => self.inner.sign_in_password(username, password).await,
        }
    }

    /// Answers a `SOFTWARE_TOKEN_MFA` challenge with the authenticator app's `code`.
    pub async fn answer_totp(
        &self,
        challenge: &ChallengeRequired,
        code: &str,
    ) -> Result<(), UserPoolError> {
        let answers = BTreeMap::from([("SOFTWARE_TOKEN_MFA_CODE".to_owned(), code.to_owned())]);
        self.respond_to_challenge(challenge, answers).await
    }

    /// Answers a `NEW_PASSWORD_REQUIRED` challenge with the user's new password.
    pub async fn answer_new_password(
        &self,
        challenge: &ChallengeRequired,
        new_password: &str,
    ) -> Result<(), UserPoolError> {
        let answers = BTreeMap::from([("NEW_PASSWORD".to_owned(), new_password.to_owned())]);
        self.respond_to_challenge(challenge, answers).await
    }

    /// Answers any challenge with these `ChallengeResponses` (`USERNAME` and `SECRET_HASH` are
    /// added). Another challenge may follow (as an error again); tokens end it.
    pub async fn respond_to_challenge(
        &self,
        challenge: &ChallengeRequired,
        answers: BTreeMap<String, String>,
    ) -> Result<(), UserPoolError> {
        let mut responses: Map<String, Value> = answers
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        self.inner
            .identify(&mut responses, &challenge.username, "USERNAME");
        let mut request = json!({
            "ChallengeName": challenge.name.as_str(),
            "ClientId": self.inner.client_id,
            "ChallengeResponses": responses,
        });
        if let Some(session) = &challenge.session {
            request["Session"] = Value::String(session.clone());
        }
        let answer = self.inner.call("RespondToAuthChallenge", &request).await?;
        self.inner.finish(answer, &challenge.username)
    }

    /// Forgets the user's tokens (a refresh under way is not stored). The next credentials
    /// are a guest's (if the identity pool allows them); user-pool endpoints get no token.
    pub fn sign_out(&self) {
        let mut state = self.inner.lock();
        state.tokens = None;
        state.failed_at = None;
        state.generation += 1;
    }

    /// The ID token, refreshed first if it expires within the margin.
    pub async fn id_token(&self) -> Result<String, UserPoolError> {
        Ok(self.inner.fresh_tokens().await?.id)
    }

    /// The access token, refreshed first if it expires within the margin.
    pub async fn access_token(&self) -> Result<String, UserPoolError> {
        Ok(self.inner.fresh_tokens().await?.access)
    }

    /// Refreshes the tokens now (`REFRESH_TOKEN_AUTH`), whatever their age.
    pub async fn refresh(&self) -> Result<(), UserPoolError> {
        let _guard = self.inner.refresh.lock().await;
        let (tokens, generation) = self.inner.snapshot()?;
        let refreshed = self.inner.refresh_tokens(&tokens).await;
        self.inner.store_refresh(refreshed, generation).map(|_| ())
    }

    /// The tokens held, for keeping the session between runs (a command line's token file);
    /// `None` while signed out. They are secrets: store them as such (readable by the user only).
    pub fn tokens(&self) -> Option<SessionTokens> {
        self.inner.lock().tokens.as_ref().map(|t| SessionTokens {
            id_token: t.id.clone(),
            access_token: t.access.clone(),
            refresh_token: t.refresh.clone(),
            username: t.username.clone(),
            issued_at: unix_secs(t.issued),
            expires_at: unix_secs(t.expires),
        })
    }

    /// Signs in with tokens kept from an earlier session ([`tokens`](Self::tokens)): no call
    /// to Cognito; they are refreshed with their refresh token when due, like a sign-in's.
    pub fn restore(&self, tokens: SessionTokens) {
        let at = |secs: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs.min(1 << 40));
        let mut state = self.inner.lock();
        state.tokens = Some(Tokens {
            id: tokens.id_token,
            access: tokens.access_token,
            refresh: tokens.refresh_token,
            username: tokens.username,
            issued: at(tokens.issued_at),
            expires: at(tokens.expires_at.max(tokens.issued_at)),
        });
        state.failed_at = None;
        state.generation += 1;
    }
}

/// A session's tokens, kept between runs: see [`UserPoolSession::tokens`] and
/// [`UserPoolSession::restore`]. Serializable (serde); its `Debug` shows the user and the
/// expiry, never a token.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionTokens {
    id_token: String,
    access_token: String,
    refresh_token: Option<String>,
    username: String,
    /// Seconds since the Unix epoch, by the local clock.
    issued_at: u64,
    /// Seconds since the Unix epoch, by the local clock.
    expires_at: u64,
}

impl SessionTokens {
    /// The user's name in the pool (`cognito:username`).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// When the ID and access tokens expire (by the local clock).
    pub fn expires(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(self.expires_at.min(1 << 40))
    }

    /// Whether a refresh token is held.
    pub fn has_refresh_token(&self) -> bool {
        self.refresh_token.is_some()
    }
}

impl fmt::Debug for SessionTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionTokens")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl UserPoolSessionBuilder {
    /// The app client's secret (for clients created with one): every call then carries
    /// `SECRET_HASH`. Browser apps should use clients without a secret.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Sends user-pool calls to `url` instead of `https://cognito-idp.<region>.amazonaws.com/`
    /// (an emulator). Without it, `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` and
    /// `AWS_ENDPOINT_URL` are honoured (unless [`read_env`](Self::read_env)`(false)`).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Builds the HTTP client from this `reqwest::ClientBuilder` (redirects turned off).
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// How the password is proved (default [`AuthFlow::UserSrp`]).
    pub fn auth_flow(mut self, flow: AuthFlow) -> Self {
        self.flow = flow;
        self
    }

    /// Which token user-pool endpoints get (default [`BearerToken::Id`]).
    pub fn bearer_token(mut self, token: BearerToken) -> Self {
        self.bearer = token;
        self
    }

    /// How throttled or failed calls are retried (default: 3 attempts, with backoff).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Allows a plain `http://` endpoint on a host that is not loopback.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Whether the environment may set the endpoint (default `true`).
    pub fn read_env(mut self, read: bool) -> Self {
        self.read_env = read;
        self
    }

    /// Checks the pool id and endpoint and builds the session.
    pub fn build(self) -> Result<UserPoolSession, crate::error::Error> {
        let region = match self.pool_id.split_once('_') {
            Some((region, name)) if is_region(region) && !name.is_empty() => region,
            _ => {
                return Err(crate::error::Error::config(
                    crate::error::ConfigKind::Credentials,
                    format!(
                        "user pool id `{}` is not of the form `<region>_<name>`",
                        self.pool_id
                    ),
                ));
            }
        };
        if self.client_id.trim().is_empty() {
            return Err(crate::error::Error::config(
                crate::error::ConfigKind::Credentials,
                "the user pool app client id is empty",
            ));
        }
        let endpoint = service_endpoint(
            "Cognito user pool endpoint",
            self.endpoint,
            &[
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                "AWS_ENDPOINT_URL",
            ],
            self.read_env,
            self.allow_http,
            "cognito-idp",
            region,
        )?;
        let http = service_http_client(self.http)?;
        Ok(UserPoolSession {
            inner: Arc::new(Inner {
                http,
                endpoint,
                pool_id: self.pool_id,
                client_id: self.client_id,
                client_secret: self.client_secret,
                flow: self.flow,
                bearer: self.bearer,
                retry: self.retry,
                state: Mutex::new(State::default()),
                refresh: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

/// Whether `e` says the app client does not allow `flow`.
fn flow_not_enabled(e: &UserPoolError, flow: &str) -> bool {
    match e {
        UserPoolError::Service { name, message, .. } if name == "InvalidParameterException" => {
            let message = message.to_ascii_lowercase();
            message.contains(&flow.to_ascii_lowercase()) && message.contains("not enabled")
        }
        _ => false,
    }
}

fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Every critical section is a few assignments: a panic cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `USERNAME` (under `key`) and, with a client secret, `SECRET_HASH` to `params`.
    fn identify(&self, params: &mut Map<String, Value>, username: &str, key: &str) {
        params.insert(key.to_owned(), Value::String(username.to_owned()));
        if let Some(secret) = &self.client_secret {
            params.insert(
                "SECRET_HASH".to_owned(),
                Value::String(srp::secret_hash(secret, username, &self.client_id)),
            );
        }
    }

    async fn initiate(
        &self,
        flow: &str,
        params: Map<String, Value>,
    ) -> Result<Map<String, Value>, UserPoolError> {
        let request = json!({
            "AuthFlow": flow,
            "ClientId": self.client_id,
            "AuthParameters": params,
        });
        self.call("InitiateAuth", &request).await
    }

    async fn sign_in_password(&self, username: &str, password: &str) -> Result<(), UserPoolError> {
        let mut params = Map::new();
        self.identify(&mut params, username, "USERNAME");
        params.insert("PASSWORD".to_owned(), Value::String(password.to_owned()));
        let answer = self.initiate("USER_PASSWORD_AUTH", params).await?;
        self.finish(answer, username)
    }

    async fn sign_in_srp(&self, username: &str, password: &str) -> Result<(), UserPoolError> {
        let client = srp::Client::new().map_err(|e| {
            UserPoolError::Config(format!("no randomness for SRP from the system: {e}"))
        })?;
        let mut params = Map::new();
        self.identify(&mut params, username, "USERNAME");
        params.insert("SRP_A".to_owned(), Value::String(client.public_hex()));
        let answer = self.initiate("USER_SRP_AUTH", params).await?;
        if text(&answer, "ChallengeName") != Some("PASSWORD_VERIFIER") {
            return self.finish(answer, username);
        }
        let parameters = answer
            .get("ChallengeParameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let param = |key: &'static str| {
            text(&parameters, key).ok_or_else(|| {
                UserPoolError::InvalidResponse(format!(
                    "the PASSWORD_VERIFIER challenge has no {key}"
                ))
            })
        };
        let user_id = param("USER_ID_FOR_SRP")?;
        let challenge = srp::Challenge {
            srp_b: param("SRP_B")?,
            salt: param("SALT")?,
            secret_block: param("SECRET_BLOCK")?,
            user_id,
        };
        let internal_username = text(&parameters, "USERNAME").unwrap_or(user_id);
        let timestamp = srp::timestamp(platform::now());
        let proof = client
            .prove(
                srp::pool_name(&self.pool_id),
                password,
                challenge,
                &timestamp,
            )
            .map_err(|e| UserPoolError::InvalidResponse(e.to_string()))?;
        let mut responses = Map::new();
        self.identify(&mut responses, internal_username, "USERNAME");
        responses.insert("TIMESTAMP".to_owned(), Value::String(timestamp));
        responses.insert(
            "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
            Value::String(challenge.secret_block.to_owned()),
        );
        responses.insert(
            "PASSWORD_CLAIM_SIGNATURE".to_owned(),
            Value::String(proof.signature),
        );
        let mut request = json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": self.client_id,
            "ChallengeResponses": responses,
        });
        if let Some(session) = text(&answer, "Session") {
            request["Session"] = Value::String(session.to_owned());
        }
        let internal_username = internal_username.to_owned();
        let answer = self.call("RespondToAuthChallenge", &request).await?;
        self.finish(answer, &internal_username)
    }

    /// Stores the tokens of an answer, or turns its challenge into an error.
    fn finish(&self, answer: Map<String, Value>, username: &str) -> Result<(), UserPoolError> {
        if let Some(result) = answer
            .get("AuthenticationResult")
            .and_then(Value::as_object)
        {
            let tokens = tokens_from(result, None, username)?;
            let mut state = self.lock();
            state.tokens = Some(tokens);
            state.failed_at = None;
            state.generation += 1;
            return Ok(());
        }
        let Some(name) = text(&answer, "ChallengeName") else {
            return Err(UserPoolError::InvalidResponse(
                "neither tokens nor a challenge".to_owned(),
            ));
        };
        let parameters: BTreeMap<String, String> = answer
            .get("ChallengeParameters")
            .and_then(Value::as_object)
            .map(|p| {
                p.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let username = parameters
            .get("USERNAME")
            .or_else(|| parameters.get("USER_ID_FOR_SRP"))
            .cloned()
            .unwrap_or_else(|| username.to_owned());
        Err(UserPoolError::ChallengeRequired(Box::new(
            ChallengeRequired {
                name: ChallengeName::parse(name),
                username,
                session: text(&answer, "Session").map(str::to_owned),
                parameters,
            },
        )))
    }

    fn snapshot(&self) -> Result<(Tokens, u64), UserPoolError> {
        let state = self.lock();
        match &state.tokens {
            Some(tokens) => Ok((tokens.clone(), state.generation)),
            None => Err(UserPoolError::NotSignedIn),
        }
    }

    /// Tokens that are not due for a refresh: the current ones, or refreshed ones.
    async fn fresh_tokens(&self) -> Result<Tokens, UserPoolError> {
        let (tokens, _) = self.snapshot()?;
        if tokens.is_fresh(platform::now()) {
            return Ok(tokens);
        }
        let _guard = self.refresh.lock().await;
        // Whoever held the lock may have refreshed (or failed to) while we waited.
        let (tokens, generation) = self.snapshot()?;
        let now = platform::now();
        if tokens.is_fresh(now) {
            return Ok(tokens);
        }
        let recently_failed = self
            .lock()
            .failed_at
            .is_some_and(|at| at.elapsed() < REFRESH_RETRY_AFTER);
        if recently_failed && tokens.is_unexpired(now) {
            return Ok(tokens);
        }
        let refreshed = self.refresh_tokens(&tokens).await;
        match self.store_refresh(refreshed, generation) {
            Ok(tokens) => Ok(tokens),
            Err(e)
                if tokens.is_unexpired(platform::now())
                    && !matches!(e, UserPoolError::NotSignedIn) =>
            {
                tracing::warn!(error = %e, "user pool token refresh failed; using the current tokens until they expire");
                Ok(tokens)
            }
            Err(e) => Err(e),
        }
    }

    /// Stores the outcome of a refresh begun at `generation` (not if the user signed in or out
    /// since). A refused refresh token signs the user out.
    fn store_refresh(
        &self,
        refreshed: Result<Tokens, UserPoolError>,
        generation: u64,
    ) -> Result<Tokens, UserPoolError> {
        let mut state = self.lock();
        if state.generation != generation {
            return match &state.tokens {
                Some(tokens) => Ok(tokens.clone()),
                None => Err(UserPoolError::NotSignedIn),
            };
        }
        match refreshed {
            Ok(tokens) => {
                state.tokens = Some(tokens.clone());
                state.failed_at = None;
                Ok(tokens)
            }
            Err(e) => {
                let expired = state
                    .tokens
                    .as_ref()
                    .is_none_or(|t| !t.is_unexpired(platform::now()));
                if matches!(e, UserPoolError::NotAuthorized { .. }) && expired {
                    state.tokens = None;
                    state.generation += 1;
                } else {
                    state.failed_at = Some(platform::Instant::now());
                }
                Err(e)
            }
        }
    }

    async fn refresh_tokens(&self, tokens: &Tokens) -> Result<Tokens, UserPoolError> {
        let Some(refresh_token) = &tokens.refresh else {
            return Err(UserPoolError::NotAuthorized {
                message: "the session has no refresh token".to_owned(),
            });
        };
        // `REFRESH_TOKEN` (and `SECRET_HASH`, of the user's name in the pool), as the Amplify
        // clients send it: no `USERNAME`.
        let mut params = Map::new();
        if let Some(secret) = &self.client_secret {
            params.insert(
                "SECRET_HASH".to_owned(),
                Value::String(srp::secret_hash(secret, &tokens.username, &self.client_id)),
            );
        }
        params.insert(
            "REFRESH_TOKEN".to_owned(),
            Value::String(refresh_token.clone()),
        );
        let answer = self.initiate("REFRESH_TOKEN_AUTH", params).await?;
        let result = answer
            .get("AuthenticationResult")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                UserPoolError::InvalidResponse("a refresh answered without tokens".to_owned())
            })?;
        tracing::debug!("user pool tokens refreshed");
        tokens_from(result, Some(refresh_token), &tokens.username)
    }

    /// One user-pool operation, retried as [`JsonService::call`] does (every operation of the
    /// flow may be sent again: a repeated one starts or answers the flow anew).
    async fn call(
        &self,
        operation: &'static str,
        request: &Value,
    ) -> Result<Map<String, Value>, UserPoolError> {
        let service = JsonService {
            http: &self.http,
            endpoint: &self.endpoint,
            target_prefix: TARGET_PREFIX,
            retry: &self.retry,
            max_body: MAX_BODY,
        };
        service
            .call(operation, request.to_string().into(), true)
            .await
            .map_err(|failure| match failure {
                CallFailure::Transport(e) => UserPoolError::Transport {
                    operation,
                    message: crate::error::error_chain(&e),
                },
                CallFailure::TooLarge => UserPoolError::InvalidResponse(format!(
                    "{operation} answered with more than {MAX_BODY} bytes"
                )),
                CallFailure::Status { status, info } => {
                    let name = info
                        .name
                        .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
                    let message = info
                        .message
                        .unwrap_or_else(|| format!("{operation} answered {status}"));
                    UserPoolError::from_service(name, message, status.as_u16())
                }
                CallFailure::Decode(_) => UserPoolError::InvalidResponse(format!(
                    "{operation} answered with no JSON object"
                )),
            })
    }
}

/// The tokens of an `AuthenticationResult` (a refresh keeps `previous_refresh` unless Cognito
/// rotated it).
fn tokens_from(
    result: &Map<String, Value>,
    previous_refresh: Option<&String>,
    username: &str,
) -> Result<Tokens, UserPoolError> {
    let missing = |what: &str| UserPoolError::InvalidResponse(format!("no {what} in the answer"));
    let id = text(result, "IdToken").ok_or_else(|| missing("IdToken"))?;
    let access = text(result, "AccessToken").ok_or_else(|| missing("AccessToken"))?;
    let claims = crate::jwt::claims(id)
        .ok_or_else(|| UserPoolError::InvalidResponse("the ID token is not a JWT".to_owned()))?;
    let issued = platform::now();
    // `ExpiresIn` counted from now: right whatever the local clock says; else the token's own
    // `exp` (by the local clock).
    let lifetime = match result.get("ExpiresIn").and_then(Value::as_u64) {
        Some(secs) => Duration::from_secs(secs.min(u64::from(u32::MAX))),
        None => claims
            .get("exp")
            .and_then(Value::as_u64)
            .and_then(|exp| {
                (SystemTime::UNIX_EPOCH + Duration::from_secs(exp.min(1 << 40)))
                    .duration_since(issued)
                    .ok()
            })
            .unwrap_or_default(),
    };
    let expires = issued.checked_add(lifetime).unwrap_or(issued);
    let username = crate::jwt::string_claim(&claims, "cognito:username")
        .unwrap_or_else(|| username.to_owned());
    Ok(Tokens {
        id: id.to_owned(),
        access: access.to_owned(),
        refresh: text(result, "RefreshToken")
            .map(str::to_owned)
            .or_else(|| previous_refresh.cloned()),
        username,
        issued,
        expires,
    })
}

impl LoginsProvider for UserPoolSession {
    fn logins(&self) -> BoxFuture<Result<Option<Logins>, BoxError>> {
        let session = self.clone();
        Box::pin(async move {
            match session.id_token().await {
                Ok(token) => Ok(Some(Logins::from([(session.login_key(), token)]))),
                Err(UserPoolError::NotSignedIn) => Ok(None),
                Err(e) => Err(Box::new(e) as BoxError),
            }
        })
    }
}

impl TokenProvider for UserPoolSession {
    fn token(&self, _endpoint: &str) -> BoxFuture<Result<String, BoxError>> {
        let session = self.clone();
        Box::pin(async move {
            let token = match session.inner.bearer {
                BearerToken::Id => session.id_token().await,
                BearerToken::Access => session.access_token().await,
            };
            token.map_err(|e| Box::new(e) as BoxError)
        })
    }
}

impl<A> crate::builder::ClientBuilder<A> {
    /// Signs requests as `session`'s user: its ID token is the identity pool's `Logins` (so
    /// `AWS_IAM` endpoints get the user's authenticated credentials; a guest's while signed
    /// out) and the bearer token of `AMAZON_COGNITO_USER_POOLS` endpoints.
    pub fn user_pool_session(self, session: UserPoolSession) -> Self {
        self.logins_provider(session.clone())
            .token_provider(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_refresh_five_minutes_early_or_at_half_life() {
        let now = SystemTime::now();
        let tokens = |lifetime: u64| Tokens {
            id: String::new(),
            access: String::new(),
            refresh: None,
            username: String::new(),
            issued: now,
            expires: now + Duration::from_secs(lifetime),
        };
        let hour = tokens(3600);
        assert!(hour.is_fresh(now + Duration::from_secs(3600 - 301)));
        assert!(!hour.is_fresh(now + Duration::from_secs(3600 - 299)));
        let short = tokens(60);
        assert!(short.is_fresh(now + Duration::from_secs(29)));
        assert!(!short.is_fresh(now + Duration::from_secs(31)));
        assert!(short.is_unexpired(now + Duration::from_secs(59)));
    }

    #[test]
    fn pool_ids_are_checked() {
        for bad in ["nounderscore", "_abc", "us-east-1_", "evil.com/x_abc"] {
            let err = UserPoolSession::builder(bad, "client").build().unwrap_err();
            assert!(err.to_string().contains("<region>_<name>"), "{bad}: {err}");
        }
        let s = UserPoolSession::builder("eu-west-1_Abc", "client")
            .read_env(false)
            .build()
            .unwrap();
        assert_eq!(
            s.inner.endpoint,
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            s.login_key(),
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc"
        );
    }
}
