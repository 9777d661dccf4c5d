//! Guest (and, with a `Logins` map, authenticated) credentials from an Amazon Cognito Identity
//! Pool: `GetId`, then `GetCredentialsForIdentity`, over plain HTTPS with the JSON 1.1 protocol.
//!
//! Hand-written rather than `aws-sdk-cognitoidentity`: the guest flow is two unsigned JSON calls,
//! and the SDK would bring its own HTTP stack and some hundred crates for them.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use serde::{Deserialize, Serialize};

use super::identity_store::{IdentityIdStore, MemoryIdentityIdStore};
use super::role::{RoleSelection, TokenRoles};
use crate::error::{ConfigKind, CredentialsError, Error, Result};
use crate::providers::{Logins, LoginsProvider, Opaque};
use crate::retry::policy::RetryPolicy;
use crate::wire::aws_json::{CallFailure, JsonService, service_endpoint, service_http_client};
use crate::wire::client::is_region;

/// The name credentials from this provider carry (`Credentials::provider_name`).
const PROVIDER_NAME: &str = "CognitoIdentity";

/// The largest Cognito answer read (real ones are about 2 KiB; the endpoint may come from the
/// environment, so a huge body must be an error, not an out-of-memory).
const MAX_BODY: usize = 64 * 1024;

/// Credentials from a Cognito Identity Pool.
///
/// Region and endpoint come from the pool id (`us-east-1:...` ->
/// `https://cognito-identity.us-east-1.amazonaws.com`); the endpoint can be overridden with
/// [`CognitoIdentityProviderBuilder::endpoint`], or the environment variables
/// `AWS_ENDPOINT_URL_COGNITO_IDENTITY` and `AWS_ENDPOINT_URL` (in that order).
///
/// The guest identity id from `GetId` is kept (in an [`IdentityIdStore`]) and reused; when Cognito
/// no longer knows it (`ResourceNotFoundException`), it is dropped and `GetId` called once more.
/// With a [`LoginsProvider`] that returns the signed-in user's `Logins`, credentials are for the
/// authenticated identity; the guest identity is offered so Cognito links it, as Amplify does.
/// Throttling, 5xx answers and connection errors are retried with backoff.
///
/// ```no_run
/// use amplify_api::credentials::CognitoIdentityProvider;
/// let provider = CognitoIdentityProvider::builder("us-east-1:0a1b2c3d-1111-2222-3333-444455556666")
///     .build()?;
/// # Ok::<(), amplify_api::Error>(())
/// ```
#[derive(Debug)]
pub struct CognitoIdentityProvider {
    inner: Arc<Inner>,
}

/// `Debug` by hand: the identity ids (guest, from the store, and signed-in) are left out, as
/// an id is all it takes to get its credentials.
struct Inner {
    http: reqwest::Client,
    endpoint: String,
    pool_id: String,
    guest_access: bool,
    retry: RetryPolicy,
    /// Where the guest identity id is kept (in memory by default).
    guest_ids: Arc<dyn IdentityIdStore>,
    /// The signed-in identity id, in memory only (as Amplify keeps it).
    authenticated_id: Mutex<Option<String>>,
    logins: Option<Opaque<dyn LoginsProvider>>,
    role: RoleSelection,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoIdentityProvider")
            .field("endpoint", &self.endpoint)
            .field("pool_id", &self.pool_id)
            .field("guest_access", &self.guest_access)
            .field("retry", &self.retry)
            .field("signed_in", &self.logins.is_some())
            .finish_non_exhaustive()
    }
}

/// Builds a [`CognitoIdentityProvider`].
pub struct CognitoIdentityProviderBuilder {
    pool_id: String,
    endpoint: Option<String>,
    http: Option<HttpClient>,
    guest_access: bool,
    allow_http: bool,
    read_env: bool,
    retry: RetryPolicy,
    store: Option<Arc<dyn IdentityIdStore>>,
    logins: Option<Opaque<dyn LoginsProvider>>,
    role: RoleSelection,
}

/// `Debug` by hand: the identity id store is left out (what it holds is secret).
impl std::fmt::Debug for CognitoIdentityProviderBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoIdentityProviderBuilder")
            .field("pool_id", &self.pool_id)
            .field("endpoint", &self.endpoint)
            .field("guest_access", &self.guest_access)
            .field("allow_http", &self.allow_http)
            .field("read_env", &self.read_env)
            .field("retry", &self.retry)
            .field("has_store", &self.store.is_some())
            .finish_non_exhaustive()
    }
}

/// Where a provider's HTTP client comes from.
#[derive(Debug)]
enum HttpClient {
    /// The caller's settings: built with redirects off.
    Builder(Box<reqwest::ClientBuilder>),
    /// The API client's own (already without redirects).
    Built(reqwest::Client),
}

impl CognitoIdentityProvider {
    /// Starts building a provider for the identity pool `pool_id` (`<region>:<uuid>`).
    pub fn builder(pool_id: impl Into<String>) -> CognitoIdentityProviderBuilder {
        CognitoIdentityProviderBuilder {
            pool_id: pool_id.into(),
            endpoint: None,
            http: None,
            guest_access: true,
            allow_http: false,
            read_env: true,
            retry: RetryPolicy::default(),
            store: None,
            logins: None,
            role: RoleSelection::Pool,
        }
    }

    /// The identity pool id.
    pub fn identity_pool_id(&self) -> &str {
        &self.inner.pool_id
    }

    /// The Cognito Identity endpoint calls go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The identity id in use: the signed-in one, else the stored guest one.
    pub fn identity_id(&self) -> Option<String> {
        lock(&self.inner.authenticated_id)
            .clone()
            .or_else(|| self.inner.guest_ids.load(&self.inner.pool_id))
    }

    /// The current `Logins` (from the logins provider), or `None` for a guest.
    pub(crate) async fn current_logins(&self) -> Result<Option<Logins>, CredentialsError> {
        match &self.inner.logins {
            None => Ok(None),
            Some(provider) => provider.logins().await.map_err(|e| CredentialsError {
                name: None,
                message: format!("the logins provider failed: {e}"),
                source: Some(e),
            }),
        }
    }

    /// Fetches fresh credentials for the current user (guest when the logins provider says
    /// signed out, or when there is none). No caching here: the client caches.
    pub async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let logins = self.current_logins().await?;
        self.fetch_for(logins.as_ref()).await
    }

    /// The role (`CustomRoleArn`) credentials for `logins` are asked for, if any.
    pub(crate) fn role_for(&self, logins: Option<&Logins>) -> Option<String> {
        self.inner.role.role_for(logins)
    }

    /// Fetches fresh credentials for `logins` (`None`: a guest), of the role chosen for them.
    pub(crate) async fn fetch_for(
        &self,
        logins: Option<&Logins>,
    ) -> Result<Credentials, CredentialsError> {
        match logins {
            None => self.inner.fetch_guest().await,
            Some(logins) => {
                let role = self.role_for(Some(logins));
                self.inner
                    .fetch_authenticated(logins, role.as_deref())
                    .await
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding this lock cannot leave the Option half-written.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl CognitoIdentityProviderBuilder {
    /// Sends Cognito calls to `url` instead of the regional AWS endpoint (e.g. an emulator).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Builds the HTTP client for Cognito calls from this `reqwest::ClientBuilder`, with
    /// redirects turned off whatever it says (a followed 307 would resend the `Logins` tokens to
    /// another origin).
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(HttpClient::Builder(Box::new(builder)));
        self
    }

    /// Shares the API client's HTTP client (built with redirects off).
    pub(crate) fn shared_http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(HttpClient::Built(client));
        self
    }

    /// Whether unauthenticated (guest) identities may be used (the config's switch; default
    /// `true`). When `false`, fetching guest credentials is an error that says so.
    pub fn guest_access(mut self, allowed: bool) -> Self {
        self.guest_access = allowed;
        self
    }

    /// Keeps the guest identity id in `store` (e.g. a [`FileIdentityIdStore`] so a CLI keeps one
    /// identity across runs). Default: in memory.
    ///
    /// [`FileIdentityIdStore`]: crate::credentials::FileIdentityIdStore
    pub fn identity_id_store(mut self, store: impl IdentityIdStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Asks `provider` for the signed-in user's `Logins` before each credentials fetch;
    /// authenticated credentials are fetched while it returns `Some`.
    pub fn logins_provider(mut self, provider: impl LoginsProvider) -> Self {
        self.logins = Some(Opaque(Arc::new(provider)));
        self
    }

    /// Asks for credentials of this IAM role (`CustomRoleArn`) for signed-in users; it must be
    /// one of the roles of their ID token (`cognito:roles`), or Cognito refuses it
    /// ([`CredentialsError::refused_role`]). Guests keep the pool's role.
    pub fn custom_role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role = RoleSelection::Fixed(role_arn.into());
        self
    }

    /// Chooses the role of a signed-in user's credentials from the roles of their ID token
    /// (`cognito:preferred_role`, `cognito:roles`), before each fetch: `None` leaves the choice
    /// to the identity pool. Credentials are cached per role, so a closure that answers
    /// differently (the app switched roles) gets the other role's credentials, never the
    /// cached ones.
    pub fn role_from_token(
        mut self,
        choose: impl Fn(&TokenRoles) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.role = RoleSelection::FromToken(Arc::new(choose));
        self
    }

    /// How throttled or failed Cognito calls are retried (default: 3 attempts, with backoff).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Allows a plain `http://` endpoint on a host that is not loopback.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Whether `AWS_ENDPOINT_URL_COGNITO_IDENTITY` / `AWS_ENDPOINT_URL` may set the endpoint
    /// when [`endpoint`](Self::endpoint) was not called (default `true`).
    pub fn read_env(mut self, read: bool) -> Self {
        self.read_env = read;
        self
    }

    /// Checks the pool id and endpoint and builds the provider.
    pub fn build(self) -> Result<CognitoIdentityProvider> {
        let region = pool_region(&self.pool_id)?;
        let endpoint = service_endpoint(
            "Cognito Identity endpoint",
            self.endpoint,
            &["AWS_ENDPOINT_URL_COGNITO_IDENTITY", "AWS_ENDPOINT_URL"],
            self.read_env,
            self.allow_http,
            "cognito-identity",
            region,
        )?;
        let http = match self.http {
            Some(HttpClient::Built(http)) => http,
            Some(HttpClient::Builder(builder)) => service_http_client(Some(*builder))?,
            None => service_http_client(None)?,
        };
        Ok(CognitoIdentityProvider {
            inner: Arc::new(Inner {
                http,
                endpoint,
                pool_id: self.pool_id,
                guest_access: self.guest_access,
                retry: self.retry,
                guest_ids: self
                    .store
                    .unwrap_or_else(|| Arc::new(MemoryIdentityIdStore::default())),
                authenticated_id: Mutex::new(None),
                logins: self.logins,
                role: self.role,
            }),
        })
    }
}

/// The region of an identity pool: the part of its id before `:`, checked to be a region (it
/// becomes part of the Cognito host name).
pub(crate) fn pool_region(pool_id: &str) -> Result<&str> {
    match pool_id.split_once(':') {
        Some((region, rest)) if is_region(region) && !rest.is_empty() => Ok(region),
        _ => Err(Error::config(
            ConfigKind::Credentials,
            format!("identity pool id `{pool_id}` is not of the form `<region>:<uuid>`"),
        )),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GetIdRequest<'a> {
    identity_pool_id: &'a str,
    logins: &'a Logins,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetIdResponse {
    identity_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GetCredentialsRequest<'a> {
    identity_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logins: Option<&'a Logins>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_role_arn: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetCredentialsResponse {
    identity_id: Option<String>,
    credentials: CognitoCredentials,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CognitoCredentials {
    access_key_id: String,
    secret_key: String,
    session_token: Option<String>,
    /// Epoch seconds, possibly with a fraction.
    expiration: Option<f64>,
}

impl Inner {
    async fn fetch_guest(&self) -> Result<Credentials, CredentialsError> {
        if !self.guest_access {
            return Err(CredentialsError::new(format!(
                "guest access is disabled for identity pool `{}` in the config; sign in (give \
                 a logins provider), or enable unauthenticated identities on the pool and in \
                 the Amplify config",
                self.pool_id
            )));
        }
        // After a sign-out the signed-in identity is not ours to use as a guest.
        *lock(&self.authenticated_id) = None;
        let no_logins = Logins::new();
        if let Some(id) = self.guest_ids.load(&self.pool_id) {
            match self.get_credentials(&id, None, None).await {
                Err(e) if e.name() == Some("ResourceNotFoundException") => {
                    // The stored identity was deleted server-side: forget it, start over once.
                    tracing::debug!(pool = %self.pool_id, "stored identity id unknown to Cognito; calling GetId again");
                    self.guest_ids.clear(&self.pool_id);
                }
                other => return other.map(|(_, credentials)| credentials),
            }
        }
        let id = self.get_id(&no_logins).await?;
        self.guest_ids.save(&self.pool_id, &id);
        let (_, credentials) = self.get_credentials(&id, None, None).await?;
        Ok(credentials)
    }

    async fn fetch_authenticated(
        &self,
        logins: &Logins,
        role: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        // Offer the signed-in id, else the guest id (Cognito links it to the user, as Amplify
        // does), else ask for one.
        let known = lock(&self.authenticated_id).clone();
        let offered_guest = known.is_none();
        let candidate = known.or_else(|| self.guest_ids.load(&self.pool_id));
        let result = match candidate {
            Some(id) => match self.get_credentials(&id, Some(logins), role).await {
                Err(e)
                    if matches!(
                        e.name(),
                        Some("ResourceNotFoundException" | "NotAuthorizedException")
                    ) =>
                {
                    tracing::debug!(pool = %self.pool_id, "identity id refused for these logins; calling GetId");
                    None
                }
                other => Some(other),
            },
            None => None,
        };
        let (id, credentials) = match result {
            Some(result) => {
                let accepted = result?;
                if offered_guest {
                    // The guest identity now belongs to the user; a later guest gets a new one.
                    self.guest_ids.clear(&self.pool_id);
                }
                accepted
            }
            None => {
                let id = self.get_id(logins).await?;
                self.get_credentials(&id, Some(logins), role).await?
            }
        };
        *lock(&self.authenticated_id) = Some(id);
        Ok(credentials)
    }

    async fn get_id(&self, logins: &Logins) -> Result<String, CredentialsError> {
        let request = GetIdRequest {
            identity_pool_id: &self.pool_id,
            logins,
        };
        // Not idempotent: a second GetId after one that reached Cognito may mint a second
        // identity, so a transport error is retried only when the request never left.
        let response: GetIdResponse = self.call("GetId", &request, false).await?;
        Ok(response.identity_id)
    }

    /// `GetCredentialsForIdentity`: the identity id Cognito confirmed, and the credentials.
    async fn get_credentials(
        &self,
        identity_id: &str,
        logins: Option<&Logins>,
        custom_role_arn: Option<&str>,
    ) -> Result<(String, Credentials), CredentialsError> {
        let request = GetCredentialsRequest {
            identity_id,
            logins,
            custom_role_arn,
        };
        let response: GetCredentialsResponse = self
            .call("GetCredentialsForIdentity", &request, true)
            .await
            .map_err(|e| match (custom_role_arn, e.name()) {
                (
                    Some(role),
                    Some(name @ ("InvalidParameterException" | "NotAuthorizedException")),
                ) => CredentialsError::role_refused(role, name, e.message()),
                _ => e,
            })?;
        let c = response.credentials;
        let expiry = match c.expiration {
            Some(secs) if (0.0..1e12).contains(&secs) => {
                Some(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs))
            }
            Some(_) => {
                return Err(CredentialsError::new(
                    "Cognito returned credentials with an invalid Expiration",
                ));
            }
            None => None,
        };
        let id = response
            .identity_id
            .unwrap_or_else(|| identity_id.to_owned());
        Ok((
            id,
            Credentials::new(
                c.access_key_id,
                c.secret_key,
                c.session_token,
                expiry,
                PROVIDER_NAME,
            ),
        ))
    }

    /// One Cognito operation, retried as [`JsonService::call_bytes`] does: any transport error when
    /// `idempotent`, else only one that proves the request never left.
    async fn call<Req: Serialize, Resp: for<'de> Deserialize<'de>>(
        &self,
        operation: &'static str,
        request: &Req,
        idempotent: bool,
    ) -> Result<Resp, CredentialsError> {
        let body = serde_json::to_vec(request)
            .map_err(|e| CredentialsError::new(format!("encoding {operation}: {e}")))?;
        let answer = self.call_bytes(operation, body, idempotent).await?;
        serde_json::from_slice(&answer).map_err(|e| unexpected_body(operation, &e))
    }

    /// [`call`](Self::call) up to the answer's bytes: not generic, so the exchange is compiled
    /// once, not once per operation (the size of the wasm).
    async fn call_bytes(
        &self,
        operation: &'static str,
        body: Vec<u8>,
        idempotent: bool,
    ) -> Result<bytes::Bytes, CredentialsError> {
        let service = JsonService {
            http: &self.http,
            endpoint: &self.endpoint,
            target_prefix: "AWSCognitoIdentityService.",
            retry: &self.retry,
            max_body: MAX_BODY,
        };
        service
            .call_bytes(operation, body.into(), idempotent)
            .await
            .map_err(|failure| match failure {
                CallFailure::Transport(e) => CredentialsError {
                    name: None,
                    message: format!(
                        "Cognito {operation} at {} failed: {}",
                        self.endpoint,
                        crate::error::error_chain(&e)
                    ),
                    source: Some(Box::new(e)),
                },
                CallFailure::TooLarge => CredentialsError::new(format!(
                    "Cognito {operation} at {} answered with more than {MAX_BODY} bytes",
                    self.endpoint
                )),
                CallFailure::Status { status, info } => {
                    let mut message = info
                        .message
                        .unwrap_or_else(|| format!("Cognito {operation} answered {status}"));
                    if info.name.as_deref() == Some("NotAuthorizedException") {
                        message.push_str(&format!(
                            " (identity pool `{}`: guest credentials need unauthenticated \
                             identities enabled on the pool, or sign in)",
                            self.pool_id
                        ));
                    }
                    CredentialsError {
                        name: info.name,
                        message,
                        source: None,
                    }
                }
                // Not returned by `call_bytes`, which does not decode.
                #[cfg(any(test, feature = "user-pool"))]
                CallFailure::Decode(e) => unexpected_body(operation, &e),
            })
    }
}

/// Not on wasm32: `ProvideCredentials` needs a `Send` future and the fetch backend's are not.
/// In the browser the client calls the provider itself.
#[cfg(not(target_arch = "wasm32"))]
impl aws_credential_types::provider::ProvideCredentials for CognitoIdentityProvider {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        use aws_credential_types::provider::{error::CredentialsError, future};
        future::ProvideCredentials::new(async move {
            self.fetch().await.map_err(CredentialsError::provider_error)
        })
    }
}

/// A Cognito answer that is not the JSON its operation returns.
fn unexpected_body(operation: &str, e: &serde_json::Error) -> CredentialsError {
    CredentialsError::new(format!(
        "Cognito {operation} answered with an unexpected body: {e}"
    ))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_comes_from_the_pool_id() {
        assert_eq!(pool_region("eu-west-1:abc").unwrap(), "eu-west-1");
        assert!(pool_region("nocolon").is_err());
        assert!(pool_region(":abc").is_err());
        for hostile in [
            "evil.example/x?:abc",
            "attacker.com#:abc",
            "us-east-1.evil.com:abc",
            "US-EAST-1:abc",
            "us east 1:abc",
            "@evil:abc",
            "useast1:abc",
        ] {
            let err = pool_region(hostile).unwrap_err();
            assert!(
                err.to_string().contains("<region>:<uuid>"),
                "{hostile}: {err}"
            );
        }
        let endpoint = |region| {
            service_endpoint("e", None, &[], false, false, "cognito-identity", region).unwrap()
        };
        assert_eq!(
            endpoint("cn-north-1"),
            "https://cognito-identity.cn-north-1.amazonaws.com.cn/"
        );
        assert_eq!(
            endpoint("us-east-1"),
            "https://cognito-identity.us-east-1.amazonaws.com/"
        );
    }
}
