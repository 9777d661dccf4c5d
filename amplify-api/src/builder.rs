//! [`ClientBuilder`]: endpoints, credentials, HTTP client and policies, checked and resolved
//! once into a [`Client`]; and the overrides of named endpoints (builder and environment).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

use crate::client::{Client, FromClient};
use crate::clock::Clock;
use crate::credentials::{
    CognitoIdentityProvider, CognitoIdentityProviderBuilder, CredentialsCache, CredentialsSource,
    IdentityIdStore,
};
use crate::endpoint::{AuthMode, Endpoint, ResolvedEndpoint};
use crate::error::{ConfigKind, Error, Result, UnknownEndpointError};
use crate::providers::{HeaderProvider, LoginsProvider, Opaque, TokenProvider};
use crate::retry::policy::{RetryBudget, RetryPolicy, TokenBucket};
use crate::send::state::Shared;
use crate::signing::shared::Signing;
use crate::signing::signer::Signer;
use crate::wire::client::{DEFAULT_CONNECT_TIMEOUT, build_http_client, default_http_client};
use crate::wire::read::DEFAULT_MAX_RESPONSE_BYTES;

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

/// A change to one named endpoint, made by the builder after the config's description.
enum EndpointOverride {
    Url(String),
    Region(String),
    Service(String),
    SigningHost(String, Option<String>),
    AuthMode(AuthMode),
    ApiKey(String),
    Token(Opaque<dyn TokenProvider>),
    Headers(Opaque<dyn HeaderProvider>),
}

impl fmt::Debug for EndpointOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointOverride::Url(url) => write!(f, "Url({url:?})"),
            EndpointOverride::Region(r) => write!(f, "Region({r:?})"),
            EndpointOverride::Service(s) => write!(f, "Service({s:?})"),
            EndpointOverride::SigningHost(h, p) => write!(f, "SigningHost({h:?}, {p:?})"),
            EndpointOverride::AuthMode(m) => write!(f, "AuthMode({m})"),
            EndpointOverride::ApiKey(_) => f.write_str("ApiKey(** redacted **)"),
            EndpointOverride::Token(_) => f.write_str("Token(<provider>)"),
            EndpointOverride::Headers(_) => f.write_str("Headers(<provider>)"),
        }
    }
}

impl EndpointOverride {
    fn apply(self, endpoint: &mut Endpoint) {
        match self {
            EndpointOverride::Url(url) => endpoint.url = url,
            EndpointOverride::Region(region) => endpoint.region = Some(region),
            EndpointOverride::Service(service) => endpoint.service = Some(service),
            EndpointOverride::SigningHost(host, prefix) => {
                endpoint.signing_host = Some(host);
                endpoint.signing_path_prefix = prefix;
            }
            EndpointOverride::AuthMode(mode) => endpoint.auth = mode,
            EndpointOverride::ApiKey(key) => endpoint.api_key = Some(key),
            EndpointOverride::Token(p) => endpoint.token_provider = Some(p),
            EndpointOverride::Headers(p) => endpoint.header_provider = Some(p),
        }
    }
}

pub use amplify_api_config::endpoint_url_env_var;

/// The formats of Amplify config files, for reading one as a given format
/// ([`ClientBuilder::config_file_as`]); the same names as `#[api_client]`'s `format = "..."`.
pub use amplify_api_config::Format as ConfigFormat;

impl Client {
    /// The client of the Amplify config file at `path`, read at run time (any format
    /// `#[api_client]` reads, detected): its endpoints looked up by name, its identity pool for
    /// credentials. The same as `Client::builder().config_file(path).build()`; use that form
    /// for overrides (endpoint URLs, credentials, ...).
    ///
    /// ```no_run
    /// # async fn run() -> amplify_api::Result<()> {
    /// let client = amplify_api::Client::from_config_file("amplify_outputs.json")?;
    /// let items = client.endpoint("itemsApi")?.get("/items").send().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] naming the file, the JSON path and line:column of each problem, in
    /// the words of `#[api_client]`'s compile errors; any error of
    /// [`ClientBuilder::build`].
    pub fn from_config_file(path: impl AsRef<std::path::Path>) -> Result<Client> {
        Client::builder().config_file(path).build()
    }

    /// [`from_config_file`](Self::from_config_file) for a config's text.
    pub fn from_config_str(text: &str) -> Result<Client> {
        Client::builder().config_str(text).build()
    }
}

/// What errors call a config given as text ([`ClientBuilder::config_str`]).
const CONFIG_TEXT_NAME: &str = "config";

/// The checked model of a config's text; an [`Error::Config`] with every problem, rendered as
/// the macro renders them (`` `file:line:col`, at `json.path`: ... ``), one a line. `needed`:
/// endpoint names the caller relies on (JavaScript values in the file may hide them).
pub(crate) fn config_model(
    text: &str,
    format: Option<ConfigFormat>,
    file: &str,
    needed: Vec<String>,
) -> Result<amplify_api_config::Model> {
    let options = amplify_api_config::Options {
        needed,
        without_rust_names: true,
        ..Default::default()
    };
    amplify_api_config::Model::from_text(text, format, &options).map_err(|errors| {
        Error::config(
            ConfigKind::ConfigFile,
            errors
                .iter()
                .map(|e| e.render(file))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// Builds a [`Client`] — or, through `#[api_client]`, a typed client `A` wrapping one.
///
/// Every setting has a default; `build()` checks them all. An endpoint's URL comes, last one
/// winning, from its description, the environment variable named by [`endpoint_url_env_var`]
/// (so one binary can target dev and prod), then [`endpoint_url`](Self::endpoint_url).
#[must_use]
pub struct ClientBuilder<A = Client> {
    endpoints: Vec<Endpoint>,
    overrides: Vec<(String, EndpointOverride)>,
    credentials: Option<SharedCredentialsProvider>,
    identity_pool: Option<String>,
    guest_access: bool,
    cognito_endpoint: Option<String>,
    identity_id_store: Option<
        Box<dyn FnOnce(CognitoIdentityProviderBuilder) -> CognitoIdentityProviderBuilder + Send>,
    >,
    logins: Option<
        Box<dyn FnOnce(CognitoIdentityProviderBuilder) -> CognitoIdentityProviderBuilder + Send>,
    >,
    role: Option<
        Box<dyn FnOnce(CognitoIdentityProviderBuilder) -> CognitoIdentityProviderBuilder + Send>,
    >,
    token_provider: Option<Opaque<dyn TokenProvider>>,
    header_provider: Option<Opaque<dyn HeaderProvider>>,
    http: Option<reqwest::ClientBuilder>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    retry: RetryPolicy,
    retry_budget: RetryBudget,
    allow_http: bool,
    read_env: bool,
    max_response_bytes: usize,
    /// The first config that could not be read ([`config_file`](Self::config_file)...),
    /// returned by `build()`, so the builder chains as reqwest's does.
    config_error: Option<Error>,
    _output: PhantomData<fn() -> A>,
}

impl<A> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoints", &self.endpoints)
            .field("overrides", &self.overrides)
            .field("has_credentials_provider", &self.credentials.is_some())
            .field("identity_pool", &self.identity_pool)
            .field("guest_access", &self.guest_access)
            .field("cognito_endpoint", &self.cognito_endpoint)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("retry", &self.retry)
            .field("retry_budget", &self.retry_budget)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl<A> Default for ClientBuilder<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A> ClientBuilder<A> {
    /// A builder with no endpoints and default settings.
    pub fn new() -> Self {
        ClientBuilder {
            endpoints: Vec::new(),
            overrides: Vec::new(),
            credentials: None,
            identity_pool: None,
            guest_access: true,
            cognito_endpoint: None,
            identity_id_store: None,
            logins: None,
            role: None,
            token_provider: None,
            header_provider: None,
            http: None,
            timeout: None,
            connect_timeout: None,
            attempt_timeout: None,
            read_timeout: None,
            retry: RetryPolicy::default(),
            retry_budget: RetryBudget::default(),
            allow_http: false,
            read_env: true,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            config_error: None,
            _output: PhantomData,
        }
    }

    /// Adds the REST endpoints (URL, region, service, auth mode, API key), identity pool, guest
    /// access and Cognito endpoint of the Amplify config file at `path`, read at run time, in any
    /// format `#[api_client]` reads (detected; see [`config_file_as`](Self::config_file_as)).
    /// Every other setting, and the overrides of named endpoints, apply as for a generated
    /// client. A file that cannot be read or checked makes [`build`](Self::build) return
    /// [`Error::Config`] with the file, the JSON path and line:column of each problem, in the
    /// macro's words.
    ///
    /// ```no_run
    /// # fn run() -> amplify_api::Result<()> {
    /// let client = amplify_api::Client::builder()
    ///     .config_file("amplify_outputs.json")
    ///     .endpoint_url("itemsApi", "http://127.0.0.1:3000")
    ///     .build()?;
    /// let request = client.endpoint("itemsApi")?.get("/items");
    /// # Ok(()) }
    /// ```
    pub fn config_file(self, path: impl AsRef<std::path::Path>) -> Self {
        self.read_config_file(path.as_ref(), None)
    }

    /// [`config_file`](Self::config_file), read as `format` instead of detecting it (as the
    /// macro's `format = "..."`).
    pub fn config_file_as(self, path: impl AsRef<std::path::Path>, format: ConfigFormat) -> Self {
        self.read_config_file(path.as_ref(), Some(format))
    }

    /// [`config_file`](Self::config_file) for a config's text (errors name it `config`).
    pub fn config_str(self, text: &str) -> Self {
        self.read_config(text, None, CONFIG_TEXT_NAME)
    }

    /// [`config_str`](Self::config_str), read as `format` instead of detecting it.
    pub fn config_str_as(self, text: &str, format: ConfigFormat) -> Self {
        self.read_config(text, Some(format), CONFIG_TEXT_NAME)
    }

    fn read_config_file(self, path: &std::path::Path, format: Option<ConfigFormat>) -> Self {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => self.read_config(&text, format, &file),
            Err(e) => self.config_failed(Error::config(
                ConfigKind::ConfigFile,
                format!("cannot read the config file `{file}`: {e}"),
            )),
        }
    }

    fn read_config(self, text: &str, format: Option<ConfigFormat>, file: &str) -> Self {
        match config_model(text, format, file, Vec::new()) {
            Ok(model) => self.config_model(model),
            Err(e) => self.config_failed(e),
        }
    }

    fn config_failed(mut self, error: Error) -> Self {
        self.config_error.get_or_insert(error);
        self
    }

    /// Adds what a checked config says.
    pub(crate) fn config_model(mut self, model: amplify_api_config::Model) -> Self {
        for e in model.endpoints {
            let mut endpoint = Endpoint::new(e.name, e.url)
                .region(e.region)
                .service(e.service)
                .auth_mode(e.auth);
            if let Some(key) = e.api_key {
                endpoint = endpoint.api_key(key);
            }
            if let Some(host) = e.signing_host {
                endpoint = endpoint.signing_host(host);
            }
            if let Some(prefix) = e.signing_path_prefix {
                endpoint = endpoint.signing_path_prefix(prefix);
            }
            self.endpoints.push(endpoint);
        }
        if let Some(pool) = model.identity_pool {
            self.identity_pool = Some(pool.id);
            self.guest_access = pool.guest_access;
            if let Some(url) = pool.endpoint {
                self.cognito_endpoint = Some(url);
            }
        }
        self
    }

    /// Adds an endpoint.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoints.push(endpoint);
        self
    }

    fn override_endpoint(mut self, name: impl AsRef<str>, change: EndpointOverride) -> Self {
        self.overrides.push((name.as_ref().to_owned(), change));
        self
    }

    /// Sends the endpoint named `name` to `url` instead of its configured URL (an emulator, a
    /// staging stage...). Region and service still come from the configuration unless the new
    /// host names them.
    pub fn endpoint_url(self, name: impl AsRef<str>, url: impl Into<String>) -> Self {
        self.override_endpoint(name, EndpointOverride::Url(url.into()))
    }

    /// Signs requests to endpoint `name` for `region` (when its host names none).
    pub fn endpoint_region(self, name: impl AsRef<str>, region: impl Into<String>) -> Self {
        self.override_endpoint(name, EndpointOverride::Region(region.into()))
    }

    /// Signs requests to endpoint `name` for `service` (when its host names none).
    pub fn endpoint_service(self, name: impl AsRef<str>, service: impl Into<String>) -> Self {
        self.override_endpoint(name, EndpointOverride::Service(service.into()))
    }

    /// Signs requests to endpoint `name` for `host`, with `path_prefix` before their paths, while
    /// they still go to its URL: for an API behind CloudFront (see
    /// [`Endpoint::signing_host`], which says how to set up the distribution).
    ///
    /// ```no_run
    /// # fn run() -> Result<(), amplify_api::Error> {
    /// let client = amplify_api::Client::builder()
    ///     .config_file("amplifyconfiguration.json")
    ///     .endpoint_signing_host("itemsApi", "abc123.execute-api.us-east-1.amazonaws.com", Some("/prod"))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn endpoint_signing_host(
        self,
        name: impl AsRef<str>,
        host: impl Into<String>,
        path_prefix: Option<&str>,
    ) -> Self {
        let change = EndpointOverride::SigningHost(host.into(), path_prefix.map(str::to_owned));
        self.override_endpoint(name, change)
    }

    /// Authorizes requests to endpoint `name` with `mode` instead of the configured one.
    pub fn endpoint_auth_mode(self, name: impl AsRef<str>, mode: AuthMode) -> Self {
        self.override_endpoint(name, EndpointOverride::AuthMode(mode))
    }

    /// The API key sent to endpoint `name` when its auth mode is [`AuthMode::ApiKey`].
    pub fn endpoint_api_key(self, name: impl AsRef<str>, key: impl Into<String>) -> Self {
        self.override_endpoint(name, EndpointOverride::ApiKey(key.into()))
    }

    /// The token provider of endpoint `name`, replacing the client's.
    pub fn endpoint_token_provider(
        self,
        name: impl AsRef<str>,
        provider: impl TokenProvider,
    ) -> Self {
        self.override_endpoint(name, EndpointOverride::Token(Opaque(Arc::new(provider))))
    }

    /// A header provider for endpoint `name` only (its headers win over the client's).
    pub fn endpoint_header_provider(
        self,
        name: impl AsRef<str>,
        provider: impl HeaderProvider,
    ) -> Self {
        self.override_endpoint(name, EndpointOverride::Headers(Opaque(Arc::new(provider))))
    }

    /// Where tokens come from for endpoints whose auth mode sends one
    /// (`AMAZON_COGNITO_USER_POOLS`, `OPENID_CONNECT`, `AWS_LAMBDA`).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Opaque(Arc::new(provider)));
        self
    }

    /// Headers added to every request (Amplify's `libraryOptions.API.REST.headers`). An
    /// endpoint's own provider and the request's headers win over these.
    pub fn header_provider(mut self, provider: impl HeaderProvider) -> Self {
        self.header_provider = Some(Opaque(Arc::new(provider)));
        self
    }

    /// Gets credentials from this provider (static credentials, the AWS SDK's chain, your own),
    /// instead of the identity pool.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Gets credentials from the AWS SDK's default chain (environment variables, shared profile,
    /// SSO, web identity, ECS and EC2 instance metadata), for services and CLIs that run with an
    /// IAM role rather than a Cognito identity. Needs the `aws-config` feature.
    #[cfg(feature = "aws-config")]
    #[cfg_attr(docsrs, doc(cfg(feature = "aws-config")))]
    pub async fn aws_default_credentials(self) -> Self {
        let chain = aws_config::default_provider::credentials::DefaultCredentialsChain::builder()
            .build()
            .await;
        self.credentials_provider(chain)
    }

    /// Gets guest credentials from this Cognito Identity Pool (`<region>:<uuid>`).
    pub fn identity_pool(mut self, pool_id: impl Into<String>) -> Self {
        self.identity_pool = Some(pool_id.into());
        self
    }

    /// Whether the identity pool may hand out guest credentials (the config's switch).
    pub fn guest_access(mut self, allowed: bool) -> Self {
        self.guest_access = allowed;
        self
    }

    /// Keeps the identity pool's guest identity id in `store` (a
    /// [`FileIdentityIdStore`](crate::credentials::FileIdentityIdStore) keeps it across runs).
    pub fn identity_id_store(mut self, store: impl IdentityIdStore) -> Self {
        self.identity_id_store = Some(Box::new(move |b| b.identity_id_store(store)));
        self
    }

    /// Asks `provider` for the signed-in user's `Logins` (see
    /// [`user_pool_login_key`](crate::user_pool_login_key)); while it returns `Some`, the
    /// identity pool hands out authenticated credentials.
    pub fn logins_provider(mut self, provider: impl LoginsProvider) -> Self {
        self.logins = Some(Box::new(move |b| b.logins_provider(provider)));
        self
    }

    /// Asks the identity pool for credentials of this IAM role (`CustomRoleArn`) while a user
    /// is signed in; it must be one of the roles their ID token carries (`cognito:roles`), or
    /// requests fail with a [`CredentialsError`](crate::CredentialsError) whose
    /// [`refused_role`](crate::CredentialsError::refused_role) names it.
    pub fn custom_role_arn(mut self, role_arn: impl Into<String>) -> Self {
        let role_arn = role_arn.into();
        self.role = Some(Box::new(move |b| b.custom_role_arn(role_arn)));
        self
    }

    /// Chooses the IAM role of a signed-in user's credentials from their ID token's roles
    /// (`cognito:preferred_role`, `cognito:roles`, with `cognito:groups`), before each
    /// credentials lookup; `None` leaves it to the identity pool. Credentials are cached per
    /// role: when the closure's answer changes, the other role's credentials are fetched.
    ///
    /// ```
    /// use amplify_api::credentials::TokenRoles;
    /// let builder = amplify_api::Client::builder()
    ///     .role_from_token(|roles: &TokenRoles| roles.preferred.clone());
    /// # let _ = builder;
    /// ```
    pub fn role_from_token(
        mut self,
        choose: impl Fn(&crate::credentials::TokenRoles) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.role = Some(Box::new(move |b| b.role_from_token(choose)));
        self
    }

    /// Sends Cognito Identity calls to `url` (an emulator, a VPC endpoint). Without it, the
    /// environment variables `AWS_ENDPOINT_URL_COGNITO_IDENTITY` and `AWS_ENDPOINT_URL` are
    /// honoured, then the regional AWS endpoint is used.
    pub fn cognito_endpoint(mut self, url: impl Into<String>) -> Self {
        self.cognito_endpoint = Some(url.into());
        self
    }

    /// Builds the HTTP client from this `reqwest::ClientBuilder` (its TLS, proxy, pool and
    /// timeout settings), for API and Cognito calls alike. Redirects are turned off on it whatever
    /// it says: a 3xx comes back as a response, as with the client this crate builds, so no
    /// header of ours ever goes to another origin. Default headers set on it are added by reqwest
    /// after signing, so they go out unsigned: give headers with
    /// [`header_provider`](Self::header_provider) instead.
    ///
    /// ```
    /// let client = amplify_api::Client::builder()
    ///     .http_client(reqwest::Client::builder().pool_max_idle_per_host(4));
    /// # let _ = client;
    /// ```
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// A total timeout per request (all attempts and the body). Default: none.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The connect timeout (default 10 s). Ignored with [`http_client`](Self::http_client).
    /// Not on wasm32: the browser's `fetch` has no connect timeout (use
    /// [`attempt_timeout`](Self::attempt_timeout)).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// A timeout for each attempt (default: none): an attempt that takes longer is abandoned
    /// and, if the request may be retried (an idempotent method, or the policy says so), tried
    /// again within the total [`timeout`](Self::timeout), so one hung attempt does not use up
    /// the whole deadline. A request's own
    /// [`attempt_timeout`](crate::RequestBuilder::attempt_timeout) replaces it.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The longest wait for each read from the connection, the response's head included
    /// (default: none), also applied to a client from [`http_client`](Self::http_client).
    /// Not on wasm32: the browser's `fetch` has no read timeout (use
    /// [`attempt_timeout`](Self::attempt_timeout)).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns it off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client-wide retry budget (default: [`RetryBudget::default`], the AWS SDKs' standard
    /// token bucket; [`RetryBudget::unlimited`] turns it off). Every request's retries, under
    /// the client's policy or its own, draw on it.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = budget;
        self
    }

    /// Allows plain `http://` to hosts that are not loopback (refused by default).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Whether environment variables may change where requests go (default `true`):
    /// `AMPLIFY_API_<NAME>_URL` overrides endpoint URLs (see [`endpoint_url_env_var`]), and
    /// `AWS_ENDPOINT_URL_COGNITO_IDENTITY` / `AWS_ENDPOINT_URL` the Cognito endpoint (unless
    /// [`cognito_endpoint`](Self::cognito_endpoint) set it).
    pub fn read_env(mut self, read: bool) -> Self {
        self.read_env = read;
        self
    }

    /// The largest response body accepted (default 16 MiB); a larger one is
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the configuration and builds the client (a [`Client`], or a client generated by
    /// `#[api_client]`, which checks that its config's endpoints are there).
    pub fn build(self) -> Result<A>
    where
        A: FromClient,
    {
        A::from_client(self.build_client()?)
    }

    fn apply_overrides(&mut self) -> Result<()> {
        // A browser has no environment (`std::env::var` is always unset on wasm32).
        #[cfg(not(target_arch = "wasm32"))]
        if self.read_env {
            for endpoint in &mut self.endpoints {
                if let Ok(url) = std::env::var(endpoint_url_env_var(&endpoint.name)) {
                    endpoint.url = url;
                }
            }
        }
        for (name, change) in std::mem::take(&mut self.overrides) {
            match self.endpoints.iter().position(|e| e.name == name) {
                Some(i) => change.apply(&mut self.endpoints[i]),
                None => {
                    return Err(Error::UnknownEndpoint(Box::new(UnknownEndpointError {
                        known: self.endpoints.iter().map(|e| e.name.clone()).collect(),
                        name,
                    })));
                }
            }
        }
        Ok(())
    }

    fn build_client(mut self) -> Result<Client> {
        if let Some(error) = self.config_error.take() {
            return Err(error);
        }
        self.apply_overrides()?;
        let mut endpoints = Vec::with_capacity(self.endpoints.len());
        for endpoint in &self.endpoints {
            if endpoints
                .iter()
                .any(|e: &ResolvedEndpoint| e.name == endpoint.name)
            {
                return Err(Error::config(
                    ConfigKind::ConfigFile,
                    format!("two endpoints are named `{}`", endpoint.name),
                ));
            }
            endpoints.push(ResolvedEndpoint::resolve(
                endpoint,
                self.allow_http,
                self.token_provider.as_ref(),
                self.header_provider.as_ref(),
            )?);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let (http, read_timeout) = match self.http {
            Some(builder) => {
                let builder = match self.read_timeout {
                    Some(limit) => builder.read_timeout(limit),
                    None => builder,
                };
                (build_http_client(builder)?, self.read_timeout)
            }
            None => (
                default_http_client(self.connect_timeout, self.read_timeout)?,
                self.read_timeout,
            ),
        };
        // The fetch backend has neither timeout (their setters are absent there).
        #[cfg(target_arch = "wasm32")]
        let (http, read_timeout) = match self.http {
            Some(builder) => (build_http_client(builder)?, None),
            None => (default_http_client()?, None),
        };
        let needs_credentials = endpoints.iter().any(|e| e.auth == AuthMode::AwsIam);
        let credentials = if needs_credentials {
            let source = match (self.credentials, self.identity_pool) {
                (Some(provider), _) => CredentialsSource::Provider(provider),
                (None, Some(pool)) => {
                    let mut cognito = CognitoIdentityProvider::builder(pool)
                        .shared_http_client(http.clone())
                        .guest_access(self.guest_access)
                        .allow_http(self.allow_http)
                        .read_env(self.read_env);
                    if let Some(url) = self.cognito_endpoint {
                        cognito = cognito.endpoint(url);
                    }
                    let configures = [self.identity_id_store, self.logins, self.role];
                    for configure in configures.into_iter().flatten() {
                        cognito = configure(cognito);
                    }
                    CredentialsSource::Cognito(Arc::new(cognito.build()?))
                }
                (None, None) => {
                    let iam: Vec<&str> = endpoints
                        .iter()
                        .filter(|e| e.auth == AuthMode::AwsIam)
                        .map(|e| e.name.as_str())
                        .collect();
                    return Err(Error::config(
                        ConfigKind::Credentials,
                        format!(
                            "endpoints {} sign with AWS_IAM, but there is no identity pool in the \
                         config and no credentials were given; add a Cognito identity pool to \
                         the Amplify config or call `.credentials_provider(..)` on the builder",
                            iam.join(", ")
                        ),
                    ));
                }
            };
            Some(CredentialsCache::new(source))
        } else {
            None
        };
        Ok(Client::from_shared(Shared {
            http,
            signing: Arc::new(Signing {
                signer: Signer::default(),
                credentials,
                clock: Clock::default(),
            }),
            endpoints,
            retry: self.retry,
            retry_budget: TokenBucket::new(self.retry_budget),
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            read_timeout,
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            max_response_bytes: self.max_response_bytes,
        }))
    }
}
